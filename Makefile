# kakunin: build, test and tooling. Every Go command runs on the pinned toolchain
# (Go 1.26.8 has crypto/x509 and net/http advisories).
export GOTOOLCHAIN := go1.27.3

GO       ?= go
FUZZTIME ?= 5s
BENCH    ?= .
PKGS     ?= ./...

.PHONY: run test bench fuzz lint golden build load static

build:
	$(GO) build -o bin/kakunin ./cmd/kakunin

# A static binary without cgo (file keys only; PKCS#11 needs cgo), as the default
# container image builds it; its keys tests check that pkcs11: URIs fail closed.
static:
	CGO_ENABLED=0 $(GO) build -o bin/kakunin-static ./cmd/kakunin
	CGO_ENABLED=0 $(GO) test -count=1 ./keys

# Starts the service on 127.0.0.1:8080 with the embedded SQLite database under ./data
# and, on first start, a demo owner, agent and issuer.
run:
	$(GO) run ./cmd/kakunin serve

test:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(PKGS)

fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

lint:
	@unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:" $$unformatted; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

golden:
	$(GO) generate ./...

# Load test of the resolver over HTTP (loopback only, bounded); figures in docs/performance.md.
load:
	$(GO) test -count=1 -timeout 10m -run TestLoad -v ./internal/loadtest/ -load
