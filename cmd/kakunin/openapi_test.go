package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/server/idempotency"
	"github.com/kakunin-dev/kakunin/store"
)

// openapiPath is the OpenAPI document of the HTTP API, relative to this package.
var openapiPath = filepath.Join("..", "..", "spec", "openapi.yaml")

// apiOperation is one operation of the OpenAPI document.
type apiOperation struct {
	Security   []map[string][]string `yaml:"security"`
	Responses  map[string]any        `yaml:"responses"`
	Parameters []apiParamRef         `yaml:"parameters"`
}

// apiParamRef is a parameter of an operation, when it is a reference.
type apiParamRef struct {
	Ref string `yaml:"$ref"`
}

// hasHeader reports whether the operation takes the header parameter that
// #/components/parameters/<name without dashes> defines.
func (o apiOperation) hasHeader(name string) bool {
	ref := "#/components/parameters/" + strings.ReplaceAll(name, "-", "")
	return slices.Contains(o.Parameters, apiParamRef{ref})
}

// apiDocument is the part of the OpenAPI document the route checks read.
type apiDocument struct {
	OpenAPI string                          `yaml:"openapi"`
	Paths   map[string]map[string]yaml.Node `yaml:"paths"`
}

// operations returns the document's operations keyed by "METHOD normalised-path".
func (d apiDocument) operations(t *testing.T) map[string]apiOperation {
	t.Helper()
	out := map[string]apiOperation{}
	for path, item := range d.Paths {
		for key, node := range item {
			if !slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, key) {
				continue // parameters, summary, …
			}
			var op apiOperation
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			out[strings.ToUpper(key)+" "+normalisePath(path)] = op
		}
	}
	return out
}

func loadAPIDocument(t *testing.T) apiDocument {
	t.Helper()
	b, err := os.ReadFile(openapiPath)
	if err != nil {
		t.Fatal(err)
	}
	var d apiDocument
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", openapiPath, err)
	}
	if d.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", d.OpenAPI)
	}
	return d
}

var (
	templateParam = regexp.MustCompile(`\{[^/{}]+\}`)
	echoParam     = regexp.MustCompile(`:[^/]+`)
)

// normalisePath writes every path parameter as "{}": OpenAPI's {name}, echo's
// :name and echo's trailing wildcard * (an OpenAPI parameter that may hold "/").
func normalisePath(p string) string {
	p = templateParam.ReplaceAllString(p, "{}")
	p = echoParam.ReplaceAllString(p, "{}")
	if strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "*") + "{}"
	}
	return p
}

// apiServer is the server of `kakunin serve` with every role, its route table
// as "METHOD normalised-path" → echo path, the demo agent, and a token of tenant
// default granting every action for every owner.
type apiServer struct {
	h      http.Handler
	roles  []server.Mounter
	routes map[string]string
	demo   *demoAgent
	token  string
}

// servedRoutes builds the server exactly as `kakunin serve` does with every role
// and the demo (openService, ensureDemo, mounters, server.New) over a fresh data
// directory.
func servedRoutes(t *testing.T) apiServer {
	t.Helper()
	cfg := defaultServeConfig()
	cfg.DataDir = t.TempDir()
	cfg, err := cfg.resolve()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc, err := openService(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	demo, err := svc.ensureDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := svc.mounters(ctx, demo.testIdentifiers())
	if err != nil {
		t.Fatal(err)
	}
	var token string
	err = svc.db.Tx(ctx, func(tx store.Tx) error {
		ttx, ok := tx.(store.TokenTx)
		if !ok {
			return errors.New("the store keeps no tokens")
		}
		token, _, err = auth.Issue(ctx, ttx, rand.Reader,
			auth.Grant{TenantID: defaultTenant, AllOwners: true, Actions: auth.Actions()}, svc.now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Config{Logger: svc.log, Checks: svc.checks()}, roles...).Handler()
	e, ok := h.(*echo.Echo)
	if !ok {
		t.Fatalf("server handler is %T, want *echo.Echo", h)
	}
	out := map[string]string{}
	for _, r := range e.Router().Routes() {
		out[r.Method+" "+normalisePath(r.Path)] = r.Path
	}
	return apiServer{h: h, roles: roles, routes: out, demo: demo, token: token}
}

// probe sends method to the echo route path, its parameters filled with the demo's
// owner, DID and issuer instance ("x" otherwise), a "{}" body, and the headers.
func (a apiServer) probe(method, path string, header map[string]string) *httptest.ResponseRecorder {
	values := map[string]string{":owner": demoOwner, ":did": url.PathEscape(a.demo.ID.String()), ":instance": issuerInstance}
	target := echoParam.ReplaceAllStringFunc(path, func(p string) string {
		if v, ok := values[p]; ok {
			return v
		}
		return "x"
	})
	req := httptest.NewRequest(method, strings.ReplaceAll(target, "*", "x"), strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// TestOpenAPIMatchesRoutes proves that spec/openapi.yaml documents every route
// that `kakunin serve` mounts with all roles, and no route it does not mount.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ops := loadAPIDocument(t).operations(t)
	routes := servedRoutes(t).routes
	for key, path := range routes {
		if _, ok := ops[key]; !ok {
			t.Errorf("route %s (%s) is served but not in %s", key, path, openapiPath)
		}
	}
	for key := range ops {
		if _, ok := routes[key]; !ok {
			t.Errorf("operation %s is in %s but not served", key, openapiPath)
		}
	}
	if len(routes) < 40 {
		t.Errorf("only %d routes served; the role set is incomplete", len(routes))
	}
}

// TestOpenAPIProbes sends every route a request without a token and proves that
// exactly the operations the document secures with the bearer scheme refuse it
// (401 with a Bearer challenge), and that the answer is a documented status.
// With a token granting everything, it proves that exactly the operations that
// document the Idempotency-Key header reject an invalid key.
func TestOpenAPIProbes(t *testing.T) {
	ops := loadAPIDocument(t).operations(t)
	a := servedRoutes(t)
	badKey := strings.Repeat("k", idempotency.MaxKeyLen+1)
	for key, path := range a.routes {
		op, ok := ops[key]
		if !ok {
			continue // reported by TestOpenAPIMatchesRoutes
		}
		method, _, _ := strings.Cut(key, " ")
		t.Run(key, func(t *testing.T) {
			rec := a.probe(method, path, nil)
			if _, ok := op.Responses[strconv.Itoa(rec.Code)]; !ok {
				t.Errorf("answered %d, which the operation does not document", rec.Code)
			}
			secured := len(op.Security) > 0
			if refused := rec.Code == http.StatusUnauthorized; secured != refused {
				t.Fatalf("documented secured = %v, but without a token the route answers %d", secured, rec.Code)
			}
			if secured && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", rec.Header().Get("WWW-Authenticate"))
			}
			rec = a.probe(method, path, map[string]string{"Authorization": "Bearer " + a.token, idempotency.Header: badKey})
			var p struct{ Detail string }
			_ = json.Unmarshal(rec.Body.Bytes(), &p)
			honoured := rec.Code == http.StatusBadRequest && strings.HasPrefix(p.Detail, idempotency.ErrInvalidKey.Error())
			if documented := op.hasHeader(idempotency.Header); documented != honoured {
				t.Errorf("documents %s = %v, but an invalid key answers %d %q", idempotency.Header, documented, rec.Code, p.Detail)
			}
		})
	}
}

// configurationDoc is the operator documentation of the settings.
var configurationDoc = filepath.Join("..", "..", "docs", "configuration.md")

// configRow is one row of the settings table: flag, environment, YAML key, default.
type configRow struct{ env, yaml, def string }

// configTable reads the settings table of docs/configuration.md by flag name.
func configTable(t *testing.T, doc string) map[string]configRow {
	t.Helper()
	rows := map[string]configRow{}
	for line := range strings.Lines(doc) {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 5 {
			t.Fatalf("settings row with %d cells: %s", len(cells), line)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		name := strings.Trim(cells[0], "`")[2:]
		if _, dup := rows[name]; dup {
			t.Errorf("--%s documented twice", name)
		}
		rows[name] = configRow{strings.Trim(cells[1], "`"), strings.Trim(cells[2], "`"), cells[3]}
	}
	return rows
}

// TestConfigurationDocumented proves that docs/configuration.md lists every
// setting of `kakunin serve` (and nothing else) with its flag, environment
// variable, YAML key and default as the program defines them, and that its
// example file is accepted by the strict YAML loader.
func TestConfigurationDocumented(t *testing.T) {
	b, err := os.ReadFile(configurationDoc)
	if err != nil {
		t.Fatal(err)
	}
	rows := configTable(t, string(b))
	cfg := defaultServeConfig()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	bindFlags(fs, &cfg)
	rt := reflect.TypeFor[serveConfig]()
	want := map[string]configRow{"config": {env: "KAKUNIN_CONFIG", yaml: "—"}}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name := f.Tag.Get("flag")
		want[name] = configRow{env: "KAKUNIN_" + envName(name), yaml: f.Tag.Get("yaml"), def: fs.Lookup(name).DefValue}
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			got, ok := rows[name]
			switch {
			case !ok:
				t.Fatalf("--%s is not documented", name)
			case got.env != w.env:
				t.Errorf("environment %q, want %q", got.env, w.env)
			case got.yaml != w.yaml:
				t.Errorf("YAML key %q, want %q", got.yaml, w.yaml)
			case w.def != "" && got.def != "`"+w.def+"`":
				t.Errorf("default %s, want `%s`", got.def, w.def)
			case w.def == "" && (got.def == "" || strings.HasPrefix(got.def, "`")):
				t.Errorf("default %q: the flag has none; say none or how it is derived", got.def)
			}
		})
	}
	for name := range rows {
		if _, ok := want[name]; !ok {
			t.Errorf("--%s is documented but is not a setting", name)
		}
	}
	t.Run("example", func(t *testing.T) {
		_, example, ok := strings.Cut(string(b), "```yaml\n")
		example, _, ok2 := strings.Cut(example, "```")
		if !ok || !ok2 {
			t.Fatal("no ```yaml example")
		}
		path := filepath.Join(t.TempDir(), "kakunin.yaml")
		if err := os.WriteFile(path, []byte(example), 0o600); err != nil {
			t.Fatal(err)
		}
		got := defaultServeConfig()
		if err := readYAML(path, &got); err != nil {
			t.Fatal(err)
		}
		if got == defaultServeConfig() {
			t.Error("the example changes nothing")
		}
		if _, err := got.resolve(); err != nil {
			t.Errorf("example does not validate: %v", err)
		}
	})
}

// urDriver is the did:kakunin entry of docs/universal-resolver/application.yml.
type urDriver struct {
	Pattern             string   `yaml:"pattern"`
	URL                 string   `yaml:"url"`
	SupportsOptions     string   `yaml:"supportsOptions"`
	SupportsDereference string   `yaml:"supportsDereference"`
	TestIdentifiers     []string `yaml:"testIdentifiers"`
}

// TestUniversalResolverPattern proves that the Universal Resolver entry matches
// every spelling of a did:kakunin that the method accepts (the spec's corpus
// example in its three forms, and DID URLs built on it), that it rejects other
// identifiers, that its test identifiers are did:kakunin identifiers, and that
// its URL names the compose service of the kit.
func TestUniversalResolverPattern(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "universal-resolver")
	b, err := os.ReadFile(filepath.Join(dir, "application.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var entry struct{ Drivers []urDriver }
	if err := yaml.Unmarshal(append([]byte("drivers:\n"), b...), &entry); err != nil || len(entry.Drivers) != 1 {
		t.Fatalf("application.yml: %v (%d entries)", err, len(entry.Drivers))
	}
	d := entry.Drivers[0]
	re, err := regexp.Compile(d.Pattern) // the pattern uses only syntax RE2 and java.util.regex share
	if err != nil {
		t.Fatal(err)
	}
	var example map[string]any
	corpus, err := os.ReadFile(filepath.Join("..", "..", "did", "kakunin", "testdata", "corpus", "example.json"))
	if err == nil {
		err = json.Unmarshal(corpus, &example)
	}
	if err != nil {
		t.Fatal(err)
	}
	canonical := example["did"].(string)
	match := append([]string{canonical, example["hexOwnerDid"].(string), example["upperCaseDid"].(string),
		canonical + "#key-1", canonical + "?versionId=2", canonical + "/path?service=files&relativeRef=%2Fa"},
		d.TestIdentifiers...)
	for _, id := range match {
		if !re.MatchString(id) {
			t.Errorf("pattern does not match %s", id)
		}
	}
	for _, id := range append([]string{canonical, example["hexOwnerDid"].(string), example["upperCaseDid"].(string)}, d.TestIdentifiers...) {
		if _, err := kakunin.Parse(id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	model, rest, _ := strings.Cut(strings.TrimPrefix(canonical, "did:kakunin:"), ":")
	for _, id := range []string{
		"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		"did:kakunin:" + model[:63] + ":" + rest,
		"did:kakunin:" + model + ":" + rest[:64] + ":",
		"did:kakunin:" + model + ":" + rest[:64] + ":z0OIl",
		"xdid:kakunin:" + model + ":" + rest,
	} {
		if re.MatchString(id) {
			t.Errorf("pattern matches %s", id)
		}
	}
	if d.SupportsOptions != "true" || d.SupportsDereference != "true" {
		t.Errorf("supportsOptions %q, supportsDereference %q: want both \"true\"", d.SupportsOptions, d.SupportsDereference)
	}
	// The UR appends 1.0/identifiers/ to a url without $1 and then passes the options.
	if d.URL != "${uniresolver_web_driver_url_did_kakunin:http://driver-did-kakunin:8080/}" {
		t.Errorf("url %q", d.URL)
	}
	var compose struct {
		Services map[string]struct {
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
		} `yaml:"services"`
	}
	b, err = os.ReadFile(filepath.Join(dir, "docker-compose.yml"))
	if err == nil {
		err = yaml.Unmarshal(b, &compose)
	}
	if err != nil {
		t.Fatal(err)
	}
	svc, ok := compose.Services["driver-did-kakunin"]
	if !ok {
		t.Fatal("docker-compose.yml has no driver-did-kakunin service")
	}
	cfg, err := loadServeConfig(&cliEnv{stdout: io.Discard, stderr: io.Discard,
		getenv: func(k string) string { return svc.Environment[k] }}, nil)
	if err != nil {
		t.Fatalf("the service's environment is not a valid configuration: %v", err)
	}
	if !cfg.hasRole("resolver") || len(cfg.roles()) != 1 {
		t.Errorf("roles %q: want resolver only", cfg.Roles)
	}
}

// operationsDoc is the operator guide, whose metrics table is checked.
var operationsDoc = filepath.Join("..", "..", "docs", "operations.md")

var descName = regexp.MustCompile(`fqName: "([^"]+)"`)

// TestMetricsDocumented proves that the metrics table of docs/operations.md
// lists every kakunin_* metric that /metrics serves, and no other: the server's
// HTTP metrics as scraped after a request, and every metric the roles register,
// read from their descriptors (a vector with no series yet is not scraped).
func TestMetricsDocumented(t *testing.T) {
	a := servedRoutes(t)
	served := map[string]bool{}
	a.probe(http.MethodGet, "/healthz", nil)
	rec := a.probe(http.MethodGet, "/metrics", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics answered %d", rec.Code)
	}
	for line := range strings.Lines(rec.Body.String()) {
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			served[strings.Fields(rest)[0]] = true
		}
	}
	for _, r := range a.roles {
		c, ok := r.(server.Collecting)
		if !ok {
			continue
		}
		for _, col := range c.Collectors() {
			ch := make(chan *prometheus.Desc)
			go func() { col.Describe(ch); close(ch) }()
			for d := range ch {
				if m := descName.FindStringSubmatch(d.String()); m != nil {
					served[m[1]] = true
				}
			}
		}
	}
	b, err := os.ReadFile(operationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "| `kakunin_"); ok {
			name, _, _ := strings.Cut(rest, "`")
			documented["kakunin_"+name] = true
		}
	}
	for name := range served {
		if strings.HasPrefix(name, "kakunin_") && !documented[name] {
			t.Errorf("metric %s is served but not documented in %s", name, operationsDoc)
		}
	}
	for name := range documented {
		if !served[name] {
			t.Errorf("metric %s is documented but not served", name)
		}
	}
	if !served["kakunin_http_requests_total"] {
		t.Error("the HTTP request counter is missing from the scrape")
	}
}

// TestOpenAPITokenActions proves that the token actions of the document (the
// TokenRequest enum, which the operations' security scopes are checked against
// in package spec) are exactly the actions package auth grants.
func TestOpenAPITokenActions(t *testing.T) {
	b, err := os.ReadFile(openapiPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				TokenRequest struct {
					Properties struct {
						Actions struct {
							Items struct {
								Enum []string `yaml:"enum"`
							} `yaml:"items"`
						} `yaml:"actions"`
					} `yaml:"properties"`
				} `yaml:"TokenRequest"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(slices.Values(doc.Components.Schemas.TokenRequest.Properties.Actions.Items.Enum))
	want := slices.Sorted(slices.Values(auth.Actions()))
	if !slices.Equal(got, want) {
		t.Errorf("TokenRequest actions %v, want %v", got, want)
	}
}
