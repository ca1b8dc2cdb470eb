// Command analysis-eval measures an Argo Rollouts AnalysisTemplate's Prometheus metrics against recorded Prometheus
// HTTP API responses, with Argo Rollouts' own provider and condition evaluator (the controller's code path from the
// HTTP response to a measurement phase), so a test can assert what the controller would decide for each response.
//
// Input (stdin): {"template": <AnalysisTemplate as JSON>, "cases": [{"name", "metric", "status", "body"}]}.
// Output (stdout): [{"name", "metric", "phase", "value", "message", "query"}], one per case, in order.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/argoproj/argo-rollouts/metricproviders/prometheus"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	log "github.com/sirupsen/logrus"
)

type fixture struct {
	Name   string `json:"name"`
	Metric string `json:"metric"`
	// Status and Body are what the Prometheus query endpoint answers.
	Status int    `json:"status"`
	Body   string `json:"body"`
}

type input struct {
	Template v1alpha1.AnalysisTemplate `json:"template"`
	Cases    []fixture                 `json:"cases"`
}

type outcome struct {
	Name    string `json:"name"`
	Metric  string `json:"metric"`
	Phase   string `json:"phase"`
	Value   string `json:"value"`
	Message string `json:"message"`
	// Query is the PromQL the provider sent, so a test can tell the fixture was really asked for.
	Query string `json:"query"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "analysis-eval:", err)
		os.Exit(1)
	}
}

func run(stdin io.Reader, stdout io.Writer) error {
	var in input
	if err := json.NewDecoder(stdin).Decode(&in); err != nil {
		return fmt.Errorf("reading input: %w", err)
	}
	log.SetOutput(os.Stderr)
	log.SetLevel(log.WarnLevel)
	outcomes := make([]outcome, 0, len(in.Cases))
	for _, c := range in.Cases {
		metric, err := findMetric(in.Template, c.Metric)
		if err != nil {
			return fmt.Errorf("case %q: %w", c.Name, err)
		}
		result, err := measure(metric, c)
		if err != nil {
			return fmt.Errorf("case %q: %w", c.Name, err)
		}
		outcomes = append(outcomes, result)
	}
	encoder := json.NewEncoder(stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(outcomes)
}

func findMetric(template v1alpha1.AnalysisTemplate, name string) (v1alpha1.Metric, error) {
	for _, metric := range template.Spec.Metrics {
		if metric.Name == name {
			if metric.Provider.Prometheus == nil {
				return v1alpha1.Metric{}, fmt.Errorf("metric %q has no prometheus provider", name)
			}
			return metric, nil
		}
	}
	return v1alpha1.Metric{}, fmt.Errorf("template %q has no metric %q", template.Name, name)
}

// measure takes one measurement of metric against a local server that answers with the fixture. Only the address
// changes: the provider signs with SigV4 only for AMP (aps-workspaces) hosts, so the rest of the metric is used as is.
func measure(metric v1alpha1.Metric, c fixture) (outcome, error) {
	var query string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err == nil {
			query = r.Form.Get("query")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(c.Status)
		_, _ = io.WriteString(w, c.Body)
	}))
	defer server.Close()

	prom := *metric.Provider.Prometheus
	prom.Address = server.URL
	metric.Provider.Prometheus = &prom

	logCtx := log.WithField("metric", metric.Name)
	api, err := prometheus.NewPrometheusAPI(metric)
	if err != nil {
		return outcome{}, fmt.Errorf("prometheus client: %w", err)
	}
	provider, err := prometheus.NewPrometheusProvider(api, *logCtx, metric)
	if err != nil {
		return outcome{}, fmt.Errorf("prometheus provider: %w", err)
	}
	measurement := provider.Run(&v1alpha1.AnalysisRun{}, metric)
	return outcome{
		Name:    c.Name,
		Metric:  metric.Name,
		Phase:   string(measurement.Phase),
		Value:   measurement.Value,
		Message: measurement.Message,
		Query:   query,
	}, nil
}
