package resolverhttp

import (
	"bytes"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// TestMarshalResultMatchesJSON checks that the assembled encoding of a result is
// json.Marshal's, in the current and the legacy form.
func TestMarshalResultMatchesJSON(t *testing.T) {
	doc := &did.Document{ID: "did:example:1", Context: []any{did.ContextV1_1},
		VerificationMethod: []did.VerificationMethod{{ID: "#key-1", Type: did.TypeMultikey, Controller: "did:example:1", PublicKeyMultibase: mk}},
		AssertionMethod:    []did.MethodRef{{Ref: "#key-1"}},
		Service: []did.Service{{ID: "#files", Type: []string{"FileService"},
			ServiceEndpoint: []did.Endpoint{{URI: "https://example.com/files/<&>"}}}}}
	prob := did.ProblemFor(did.ErrNotFound)
	results := map[string]any{
		"resolution": &did.ResolutionResult{DIDDocument: doc,
			DIDResolutionMetadata: did.ResolutionMetadata{ContentType: did.MediaTypeDID},
			DIDDocumentMetadata: did.DocumentMetadata{Created: now, NextUpdate: now.Add(time.Hour), VersionID: "3",
				Method: map[string]jsontext.Value{"x": jsontext.Value(`{"a":1}`)}}},
		"no metadata": &did.ResolutionResult{DIDDocument: doc},
		"error":       &did.ResolutionResult{DIDResolutionMetadata: did.ResolutionMetadata{Error: &prob}},
		"dereferencing": &did.DereferencingResult{ContentStream: doc,
			DereferencingMetadata: did.DereferencingMetadata{ContentType: did.MediaTypeDID}},
	}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			got, err := marshalResult(nil, res)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("got %s, %v\nwant %s", got, err, want)
			}
			prefix := []byte(`{"@context":"` + legacyContext + `",`)
			got, err = marshalResult(prefix, res)
			if wantLegacy := append(bytes.Clone(prefix), want[1:]...); err != nil || !bytes.Equal(got, wantLegacy) {
				t.Fatalf("legacy: got %s, %v\nwant %s", got, err, wantLegacy)
			}
		})
	}
}
