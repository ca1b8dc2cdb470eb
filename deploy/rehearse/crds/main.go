// Command crds writes, as a YAML stream on stdout, the CustomResourceDefinitions the rehearsal installs that come
// from Go code rather than from controller-gen over API types:
//
//	crds embedded                 the CRDs Karpenter's AWS provider embeds in its apis package (apis.CRDs)
//	crds constraints FILE...      the constraint CRDs Gatekeeper's constraint-template controller creates from the
//	                              ConstraintTemplates in FILE (the frameworks client's CreateCRD, Gatekeeper's target)
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	karpenter "github.com/aws/karpenter-provider-aws/pkg/apis"
	cfapis "github.com/open-policy-agent/frameworks/constraint/pkg/apis"
	"github.com/open-policy-agent/frameworks/constraint/pkg/apis/templates/v1"
	constraintclient "github.com/open-policy-agent/frameworks/constraint/pkg/client"
	"github.com/open-policy-agent/frameworks/constraint/pkg/client/drivers/rego"
	"github.com/open-policy-agent/frameworks/constraint/pkg/core/templates"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/target"
	apiextensionsinstall "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/install"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crds:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: crds embedded | crds constraints FILE...")
	}
	switch args[0] {
	case "embedded":
		for _, crd := range karpenter.CRDs {
			if err := write(out, crd); err != nil {
				return err
			}
		}
		return nil
	case "constraints":
		return constraints(args[1:], out)
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func constraints(files []string, out io.Writer) error {
	scheme := runtime.NewScheme()
	apiextensionsinstall.Install(scheme)
	if err := cfapis.AddToScheme(scheme); err != nil {
		return err
	}
	// As Gatekeeper's main builds it: the Rego driver and the Kubernetes validation target.
	driver, err := rego.New()
	if err != nil {
		return err
	}
	client, err := constraintclient.NewClient(constraintclient.Targets(&target.K8sValidationTarget{}),
		constraintclient.Driver(driver), constraintclient.EnforcementPoints("audit.gatekeeper.sh"))
	if err != nil {
		return err
	}
	for _, file := range files {
		templs, err := readTemplates(file)
		if err != nil {
			return err
		}
		for _, ct := range templs {
			// The controller converts the stored version to the unversioned type, asks the client for the CRD,
			// then converts it to apiextensions/v1 (constrainttemplate_controller.go, Reconcile).
			unversioned := &templates.ConstraintTemplate{}
			if err := scheme.Convert(ct, unversioned, nil); err != nil {
				return fmt.Errorf("%s: ConstraintTemplate %s: %w", file, ct.Name, err)
			}
			proposed, err := client.CreateCRD(context.Background(), unversioned)
			if err != nil {
				return fmt.Errorf("%s: ConstraintTemplate %s: %w", file, ct.Name, err)
			}
			crd := &apiextensionsv1.CustomResourceDefinition{}
			if err := scheme.Convert(proposed, crd, nil); err != nil {
				return fmt.Errorf("%s: ConstraintTemplate %s: %w", file, ct.Name, err)
			}
			crd.APIVersion, crd.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
			if err := write(out, crd); err != nil {
				return err
			}
		}
	}
	return nil
}

func readTemplates(file string) ([]*v1.ConstraintTemplate, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var templs []*v1.ConstraintTemplate
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return templs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		var meta struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if meta.Kind != "ConstraintTemplate" {
			continue
		}
		if meta.APIVersion != "templates.gatekeeper.sh/v1" {
			return nil, fmt.Errorf("%s: ConstraintTemplate apiVersion %s: only templates.gatekeeper.sh/v1 is read", file, meta.APIVersion)
		}
		ct := &v1.ConstraintTemplate{}
		if err := yaml.UnmarshalStrict(doc, ct); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		templs = append(templs, ct)
	}
}

func write(out io.Writer, crd *apiextensionsv1.CustomResourceDefinition) error {
	data, err := yaml.Marshal(crd)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "---\n%s", data)
	return err
}
