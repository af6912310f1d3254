package did

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	if tm, err := ParseTime("2026-01-02T03:04:05Z"); err != nil || !tm.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("ParseTime = %v, %v", tm, err)
	}
	for _, s := range []string{"2026-01-02T03:04:05.1Z", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05z",
		"2026-01-02 03:04:05Z", "2026-01-02T03:04Z", "2026-02-30T03:04:05Z", "2026-01-02T24:00:00Z", ""} {
		if _, err := ParseTime(s); !errors.Is(err, ErrInvalidTime) {
			t.Errorf("ParseTime(%q) = %v", s, err)
		}
	}
	if got := FormatTime(time.Date(2026, 1, 2, 4, 4, 5, 999, time.FixedZone("x", 3600))); got != "2026-01-02T03:04:05Z" {
		t.Fatalf("FormatTime = %s", got)
	}
}

func TestDocumentMetadataJSON(t *testing.T) {
	in := `{"created":"2026-01-02T03:04:05Z","updated":"2026-01-03T03:04:05Z","deactivated":true,"nextUpdate":"2026-01-04T03:04:05Z","versionId":"2","nextVersionId":"3","equivalentId":["did:example:A"],"canonicalId":"did:example:a","kakunin":{"owner":"z6Mk"}}`
	var m DocumentMetadata
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	if !m.Deactivated || m.VersionID != "2" || m.Created.Day() != 2 || string(m.Method["kakunin"]) != `{"owner":"z6Mk"}` {
		t.Fatalf("got %+v", m)
	}
	out, err := json.Marshal(m)
	if err != nil || string(out) != in {
		t.Fatalf("round trip:\n%s\n%s (%v)", out, in, err)
	}
	for _, bad := range []string{`{"created":"2026-01-02T03:04:05.123Z"}`, `{"updated":"2026-01-02T04:04:05+01:00"}`,
		`{"deactivated":"yes"}`, `{"canonicalId":"https://x"}`, `{"versionId":1}`, `{"versionId":"1","versionId":"2"}`} {
		if err := json.Unmarshal([]byte(bad), &m); !errors.Is(err, ErrInvalidMetadata) {
			t.Errorf("Unmarshal(%s) = %v", bad, err)
		}
	}
}

func TestResolutionOptionsJSON(t *testing.T) {
	in := `{"accept":"application/did","versionTime":"2026-01-02T03:04:05Z","noCache":true,"x509Chain":["MII"]}`
	var o ResolutionOptions
	if err := json.Unmarshal([]byte(in), &o); err != nil {
		t.Fatal(err)
	}
	if o.Accept != MediaTypeDID || !o.NoCache || o.VersionTime.IsZero() || string(o.Method["x509Chain"]) != `["MII"]` {
		t.Fatalf("got %+v", o)
	}
	if out, _ := json.Marshal(o); string(out) != in {
		t.Fatalf("round trip %s", out)
	}
	err := json.Unmarshal([]byte(`{"versionId":"1","versionTime":"2026-01-02T03:04:05Z"}`), &o)
	if !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("versionId with versionTime: %v", err)
	}
	// DID Resolution § Caching gives noCache's values as the strings "true" and "false".
	for in, want := range map[string]bool{`{"noCache":"true"}`: true, `{"noCache":"false"}`: false, `{"noCache":false}`: false} {
		o = ResolutionOptions{NoCache: !want}
		if err := json.Unmarshal([]byte(in), &o); err != nil || o.NoCache != want {
			t.Errorf("%s: NoCache %v, %v", in, o.NoCache, err)
		}
	}
	for _, in := range []string{`{"noCache":"yes"}`, `{"noCache":1}`, `{"noCache":null}`, `{"expandRelativeUrls":"TRUE"}`} {
		if err := json.Unmarshal([]byte(in), &o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%s: %v", in, err)
		}
	}
}

func TestResolutionResultJSON(t *testing.T) {
	in := `{"didDocument":{"@context":"https://www.w3.org/ns/did/v1","id":"did:example:1"},"didResolutionMetadata":{"contentType":"application/did+ld+json","duration":5},"didDocumentMetadata":{"created":"2026-01-02T03:04:05Z"}}`
	var r ResolutionResult
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.DIDDocument == nil || r.DIDDocument.ID != "did:example:1" || r.DIDResolutionMetadata.ContentType != MediaTypeDIDLDJSON {
		t.Fatalf("got %+v", r)
	}
	if out, _ := json.Marshal(r); string(out) != in {
		t.Fatalf("round trip\n%s\n%s", out, in)
	}
	bad := `{"didDocument":{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"JsonWebKey","controller":"did:example:1","publicKeyJwk":{"kty":"EC","d":"x"}}]}}`
	if err := json.Unmarshal([]byte(bad), &r); !errors.Is(err, ErrInvalidDocument) {
		t.Fatalf("private key in result: %v", err)
	}
}

func TestDereferencingResultJSON(t *testing.T) {
	vm := VerificationMethod{ID: "did:example:1#k", Type: TypeMultikey, Controller: "did:example:1", PublicKeyMultibase: "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"}
	r := DereferencingResult{DereferencingMetadata: DereferencingMetadata{ContentType: MediaTypeDIDLDJSON}, ContentStream: &vm}
	b, err := json.Marshal(r)
	want := `{"dereferencingMetadata":{"contentType":"application/did+ld+json"},"contentStream":{"id":"did:example:1#k","type":"Multikey","controller":"did:example:1","publicKeyMultibase":"z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"},"contentMetadata":{}}`
	if err != nil || string(b) != want {
		t.Fatalf("got  %s (%v)\nwant %s", b, err, want)
	}
}

func FuzzResolutionResult(f *testing.F) {
	f.Add([]byte(`{"didDocument":{"id":"did:example:1"},"didResolutionMetadata":{"contentType":"application/did","error":{"type":"https://www.w3.org/ns/did#NOT_FOUND"}},"didDocumentMetadata":{"created":"2026-01-02T03:04:05Z","equivalentId":["did:example:2"],"x":[1]}}`))
	f.Add([]byte(`{"didDocument":null,"didResolutionMetadata":{},"didDocumentMetadata":{"deactivated":true}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r ResolutionResult
		if json.Unmarshal(data, &r) != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var r2 ResolutionResult
		if err := json.Unmarshal(b, &r2); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, b)
		}
		if b2, _ := json.Marshal(r2); string(b2) != string(b) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
	})
}

func TestResolutionResultStrict(t *testing.T) {
	for _, in := range []string{`{"didDocument":null,"didDocument":null}`, `[]`} {
		var r ResolutionResult
		if err := json.Unmarshal([]byte(in), &r); !errors.Is(err, ErrInvalidMetadata) {
			t.Errorf("Unmarshal(%s) = %v", in, err)
		}
	}
}
