package spec_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// example is a JSON code block of credentials.md.
type example struct {
	line int // of the opening fence
	json string
}

// docExamples extracts every ```json block of credentials.md, in order.
func docExamples(t testing.TB) []example {
	t.Helper()
	b, err := os.ReadFile("credentials.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	var cur *example
	var body []string
	for i, line := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && line == "```json":
			cur, body = &example{line: i + 1}, nil
		case cur != nil && line == "```":
			cur.json = strings.Join(body, "\n")
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	if cur != nil {
		t.Fatalf("credentials.md:%d: unterminated code block", cur.line)
	}
	return out
}

// TestDocExamples checks every JSON example of credentials.md: a credential is parsed, its
// claims are validated by the Go package and by the JSON Schema of its type, and it is
// converted to RDF strictly without losing a value; a DID document is converted to RDF.
func TestDocExamples(t *testing.T) {
	examples := docExamples(t)
	if len(examples) != 4 {
		t.Errorf("credentials.md has %d JSON examples, want 4 (update this test when adding one)", len(examples))
	}
	p := processor(t)
	schemas := map[string]*schemaValidator{}
	for _, typ := range []string{spec.ScopeCredentialType, spec.ComplianceCredentialType} {
		b, _ := spec.Document(schemaURL(typ))
		schemas[typ] = newSchemaValidator(t, b)
	}
	for _, ex := range examples {
		t.Run("line "+itoa(ex.line), func(t *testing.T) {
			doc := decode(t, ex.json)
			toRDFLossless(t, p, doc)
			if _, isDID := doc["service"]; isDID {
				return
			}
			c, err := vc.ParseCredential([]byte(ex.json), vc.ParseOptions{RejectV1: true})
			if err != nil {
				t.Fatal(err)
			}
			typ := spec.ScopeCredentialType
			if c.HasType(spec.ComplianceCredentialType) {
				typ = spec.ComplianceCredentialType
			}
			if err := schemas[typ].validate("", decodeNumbers(t, []byte(ex.json))); err != nil {
				t.Errorf("JSON Schema: %v", err)
			}
			if err := goValidate(typ, c); err != nil {
				t.Errorf("Go: %v", err)
			}
			if s, ok := doc["credentialSchema"].(map[string]any); ok && s["id"] != schemaURL(typ) {
				t.Errorf("credentialSchema id %v, want %s", s["id"], schemaURL(typ))
			}
		})
	}
}

func schemaURL(typ string) string {
	if typ == spec.ComplianceCredentialType {
		return spec.ComplianceSchemaURL
	}
	return spec.ScopeSchemaURL
}

func goValidate(typ string, c *vc.Credential) error {
	if typ == spec.ComplianceCredentialType {
		_, err := compliance.ParseCompliance(c)
		return err
	}
	_, err := scope.ParseScope(c)
	return err
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
