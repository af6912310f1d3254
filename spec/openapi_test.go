package spec_test

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The route table itself is checked against this document by
// cmd/kakunin/openapi_test.go; the tests here check the document's own
// consistency.

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadOpenAPI parses openapi.yaml into a generic tree (aliases resolved).
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// pointer follows a local JSON Pointer (RFC 6901) reference "#/a/b".
func pointer(doc map[string]any, ref string) (any, bool) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m := obj(cur)
		if m == nil {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref returns v, or the node its $ref names.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m := obj(v)
	if ref, ok := m["$ref"].(string); ok {
		target, ok := pointer(doc, ref)
		if !ok {
			t.Fatalf("unresolved $ref %q", ref)
		}
		return obj(target)
	}
	return m
}

type operation struct {
	method, path string
	pathItem, op map[string]any
}

func operations(doc map[string]any) []operation {
	var out []operation
	for path, item := range obj(doc["paths"]) {
		for _, m := range methods {
			if op := obj(obj(item)[m]); op != nil {
				out = append(out, operation{m, path, obj(item), op})
			}
		}
	}
	return out
}

// TestOpenAPIReferencesResolve proves that every $ref in the document names a node of it.
func TestOpenAPIReferencesResolve(t *testing.T) {
	doc := loadOpenAPI(t)
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, ok := pointer(doc, ref); !ok {
					t.Errorf("%s: unresolved $ref %q", at, ref)
				}
			}
			for k, c := range v {
				walk(at+"/"+k, c)
			}
		case []any:
			for i, c := range v {
				walk(at+"/"+strconv.Itoa(i), c)
			}
		}
	}
	walk("#", doc)
}

// TestOpenAPIOperations checks each operation: a unique operationId, declared
// tags, a success response, and path parameters that match the path template.
func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	tags := map[string]bool{}
	for _, tg := range doc["tags"].([]any) {
		tags[obj(tg)["name"].(string)] = true
	}
	ids := map[string]string{}
	template := regexp.MustCompile(`\{([^/{}]+)\}`)
	for _, o := range operations(doc) {
		t.Run(o.method+" "+o.path, func(t *testing.T) {
			id, _ := o.op["operationId"].(string)
			if id == "" {
				t.Error("no operationId")
			} else if prev, dup := ids[id]; dup {
				t.Errorf("operationId %q also used by %s", id, prev)
			}
			ids[id] = o.method + " " + o.path
			opTags, _ := o.op["tags"].([]any)
			if len(opTags) == 0 {
				t.Error("no tag")
			}
			for _, tg := range opTags {
				if !tags[tg.(string)] {
					t.Errorf("tag %q not declared", tg)
				}
			}
			success := false
			for code := range obj(o.op["responses"]) {
				success = success || code[0] == '2' || code[0] == '3'
			}
			if !success {
				t.Error("no 2xx or 3xx response")
			}
			declared := map[string]bool{}
			for _, list := range []any{o.pathItem["parameters"], o.op["parameters"]} {
				ps, _ := list.([]any)
				for _, p := range ps {
					p := deref(t, doc, p)
					if p["in"] == "path" {
						if p["required"] != true {
							t.Errorf("path parameter %v not required", p["name"])
						}
						declared[p["name"].(string)] = true
					}
				}
			}
			var inPath []string
			for _, m := range template.FindAllStringSubmatch(o.path, -1) {
				inPath = append(inPath, m[1])
				if !declared[m[1]] {
					t.Errorf("path parameter {%s} not declared", m[1])
				}
			}
			for name := range declared {
				if !slices.Contains(inPath, name) {
					t.Errorf("parameter %q declared in path but not in the template", name)
				}
			}
		})
	}
}

// TestOpenAPISecurity checks that secured operations name the declared bearer
// scheme with one token action each and document 401 and 403, and that errors
// outside DID resolution are RFC 9457 problems.
func TestOpenAPISecurity(t *testing.T) {
	doc := loadOpenAPI(t)
	schemes := obj(obj(doc["components"])["securitySchemes"])
	bearer := obj(schemes["bearerToken"])
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Fatalf("bearerToken scheme = %v", bearer)
	}
	actions := map[string]bool{}
	tokenReq := obj(obj(obj(obj(doc["components"])["schemas"])["TokenRequest"])["properties"])
	for _, a := range obj(obj(tokenReq["actions"])["items"])["enum"].([]any) {
		actions[a.(string)] = true
	}
	secured := 0
	for _, o := range operations(doc) {
		t.Run(o.method+" "+o.path, func(t *testing.T) {
			resp := obj(o.op["responses"])
			sec, _ := o.op["security"].([]any)
			for _, req := range sec {
				for name, scopes := range obj(req) {
					if schemes[name] == nil {
						t.Errorf("security scheme %q not declared", name)
					}
					sc, _ := scopes.([]any)
					if obj(schemes[name])["type"] == "mutualTLS" {
						// A client certificate carries no token actions.
						if len(sc) != 0 {
							t.Errorf("mutualTLS scopes %v: want none", scopes)
						}
						continue
					}
					if len(sc) != 1 || !actions[sc[0].(string)] {
						t.Errorf("scopes %v: want one token action", scopes)
					}
				}
				secured++
				for _, code := range []string{"401", "403"} {
					if resp[code] == nil {
						t.Errorf("secured operation documents no %s", code)
					}
				}
			}
			if strings.HasPrefix(o.path, "/1.0/identifiers/") || o.path == "/readyz" {
				// Resolution errors are resolution results (DID Resolution § 12.1);
				// /readyz answers 503 with its JSON status document.
				return
			}
			for code, r := range resp {
				if code[0] != '4' && code[0] != '5' {
					continue
				}
				content := obj(deref(t, doc, r)["content"])
				if content["application/problem+json"] == nil {
					t.Errorf("%s: not application/problem+json", code)
				}
			}
		})
	}
	if secured < 15 {
		t.Errorf("only %d secured operations; write routes lack security", secured)
	}
}
