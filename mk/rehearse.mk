# Kubernetes rehearsal (deploy/rehearse/): every environment's render applied to a real control plane on loopback
# (kube-apiserver, kube-controller-manager, kube-scheduler from the Kubernetes Go modules, etcd from Debian, nodes
# simulated by kwok), then upgraded from the previous render. ADR 0110.
# The cluster runs Kubernetes 1.36 (config/environments/*.yaml kubernetesVersion); 1.36.3 is the newest 1.36 release
# the Go module proxy serves. deploy/rehearse/k8s/go.mod pins it (and each staging module) and go.sum verifies it.
KUBE_VERSION := v1.36.3
KUBE_SRC := deploy/rehearse/k8s
KUBE_BIN := $(TOOLS)/kube-$(KUBE_VERSION)
KUBE_STAMP := $(KUBE_BIN)/.built
KWOK_VERSION := v0.7.0
KWOK_BIN := $(TOOLS)/kwok-$(KWOK_VERSION)
KWOK_STAMP := $(KWOK_BIN)/.built
ETCD := /usr/bin/etcd
# Our CRD writer (Karpenter's embedded CRDs, Gatekeeper's constraint CRDs) and controller-gen, from one pinned module.
CRDS_SRC := deploy/rehearse/crds
CRDS_BIN := $(TOOLS)/rehearse-crds
REHEARSE_WORKDIR := $(TOOLS)/rehearse
# Without the version stamped, the binaries call themselves v0.0.0-master and kubectl cannot parse the server version.
KUBE_VERSION_PKGS := k8s.io/component-base/version k8s.io/client-go/pkg/version
KUBE_LDFLAGS := -s -w $(foreach p,$(KUBE_VERSION_PKGS),-X $(p).gitVersion=$(KUBE_VERSION) \
	-X $(p).gitMajor=$(word 1,$(subst ., ,$(KUBE_VERSION:v%=%))) -X $(p).gitMinor=$(word 2,$(subst ., ,$(KUBE_VERSION:v%=%))) \
	-X $(p).gitTreeState=clean -X $(p).buildDate=1970-01-01T00:00:00Z)

.PHONY: rehearse test-rehearse deps-rehearse deps-kube deps-kwok deps-etcd deps-rehearse-crds
deps-rehearse: deps-kube deps-kwok deps-etcd deps-rehearse-crds

deps-kube: $(KUBE_STAMP)
$(KUBE_STAMP): $(KUBE_SRC)/go.mod $(KUBE_SRC)/go.sum
	$(call first_build,the Kubernetes $(KUBE_VERSION) control plane,6 min quiet / 25 min busy)
	mkdir -p $(KUBE_BIN)
	cd $(KUBE_SRC) && go build -mod=readonly -trimpath -ldflags '$(KUBE_LDFLAGS)' -o $(KUBE_BIN)/ \
		k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
		k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
	@touch $@

deps-kwok: $(KWOK_STAMP)
$(KWOK_STAMP):
	$(call first_build,kwok $(KWOK_VERSION),2 min)
	mkdir -p $(KWOK_BIN)
	GOBIN=$(KWOK_BIN) go install -trimpath sigs.k8s.io/kwok/cmd/kwok@$(KWOK_VERSION) sigs.k8s.io/kwok/cmd/kwokctl@$(KWOK_VERSION)
	@touch $@

# Debian's etcd (3.4): the only control-plane part a Debian package ships.
deps-etcd: $(ETCD)
$(ETCD):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends etcd-server >/dev/null

deps-rehearse-crds: $(CRDS_BIN)/.built
$(CRDS_BIN)/.built: $(CRDS_SRC)/main.go $(CRDS_SRC)/go.mod $(CRDS_SRC)/go.sum
	$(call first_build,the CRD writer and controller-gen,2 min)
	mkdir -p $(CRDS_BIN)
	cd $(CRDS_SRC) && go build -mod=readonly -trimpath -o $(CRDS_BIN)/crds . && \
		go build -mod=readonly -trimpath -o $(CRDS_BIN)/controller-gen sigs.k8s.io/controller-tools/cmd/controller-gen
	@touch $@

REHEARSE_ENV := REHEARSE_KUBE_BIN=$(KUBE_BIN) REHEARSE_KUBE_VERSION=$(KUBE_VERSION) REHEARSE_KWOK_BIN=$(KWOK_BIN) \
	REHEARSE_ETCD=$(ETCD) REHEARSE_CRDS_BIN=$(CRDS_BIN) REHEARSE_WORKDIR=$(REHEARSE_WORKDIR)

rehearse: deps-node deps-rehearse ## every env's render applied to a real control plane and upgraded from the previous render (ENVS="dev" for one)
# tsx directly, not through npx: npm exec ends its child on Ctrl-C before the child has deleted its control planes.
	cd deploy && $(REHEARSE_ENV) tsx rehearse/src/main.ts $(ENVS)

test-rehearse: deps-node deps-rehearse ## rehearsal type check, unit tests, the live server's refusals, then make rehearse
	cd deploy && npx tsc -p rehearse/tsconfig.json
	cd deploy && $(REHEARSE_ENV) npx vitest run --root rehearse
	$(MAKE) rehearse

TEST_TARGETS += test-rehearse
