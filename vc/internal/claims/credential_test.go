package claims

import (
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
)

// TestEnvelope builds envelopes, breaks one member at a time, and checks that CheckEnvelope
// and SubjectPath (run through CheckBuilt) point at the broken member.
func TestEnvelope(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		mutate func(doc map[string]any)
		path   string // "" when valid
	}{
		{"valid", func(map[string]any) {}, ""},
		{"no kakunin context", func(d map[string]any) { d["@context"] = []any{vc.ContextV2} }, "/@context"},
		{"other type", func(d map[string]any) { d["type"] = []any{"VerifiableCredential"} }, "/type"},
		{"no validUntil", func(d map[string]any) { delete(d, "validUntil") }, "/validUntil"},
		{"no validFrom", func(d map[string]any) { delete(d, "validFrom") }, "/validFrom"},
		{"subject array", func(d map[string]any) {
			d["credentialSubject"] = []any{map[string]any{"id": "did:web:a"}, map[string]any{"id": "did:web:b"}}
		}, "/credentialSubject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Envelope(spec.ScopeCredentialType, spec.ScopeSchemaURL, map[string]any{"id": "did:web:a"}, from, from.Add(time.Hour))
			tt.mutate(doc)
			var path string
			err := CheckBuilt(doc, func(c *vc.Credential) error {
				if err := CheckEnvelope(c, spec.ScopeCredentialType); err != nil {
					return err
				}
				var err error
				path, err = SubjectPath(c)
				return err
			})
			if tt.path != "" {
				wantMalformed(t, err, tt.path)
				return
			}
			if err != nil || path != "/credentialSubject" {
				t.Fatalf("CheckBuilt = %v, subject path %q", err, path)
			}
			if _, ok := doc["issuer"]; ok {
				t.Fatal("CheckBuilt added the placeholder issuer to the caller's document")
			}
		})
	}
}
