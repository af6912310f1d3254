package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestW3CResolutionSuite runs, against `kakunin serve`, the assertions of the W3C-CCG
// DID Resolution test suite (tests/4-did-resolution.js and tests/10-bindings.js) that
// need no deactivated DID: docs/interop.md records the suite itself passing, and this
// keeps it so where Node.js is not at hand.
func TestW3CResolutionSuite(t *testing.T) {
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--roles", "resolver", "--demo-public-owner")
	t.Cleanup(func() { _ = in.stop() })
	base := in.base + "/1.0/identifiers/"
	valid := []string{in.did, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}
	for _, d := range valid {
		for _, path := range []string{d, url.QueryEscape(d)} { // raw, and URL-encoded (encodeURIComponent)
			code, ctype, body := fetch(t, http.MethodGet, base+path, "application/did-resolution", "", nil)
			var r struct {
				DIDDocument           map[string]any `json:"didDocument"`
				DIDResolutionMetadata map[string]any `json:"didResolutionMetadata"`
				DIDDocumentMetadata   map[string]any `json:"didDocumentMetadata"`
			}
			if err := json.Unmarshal(body, &r); err != nil || code != http.StatusOK {
				t.Fatalf("%s: %d %s", path, code, body)
			}
			ct, _ := r.DIDResolutionMetadata["contentType"].(string)
			if ct == "" || !strings.Contains(ctype, ct) || r.DIDDocument["id"] != d || r.DIDDocumentMetadata == nil {
				t.Errorf("%s: Content-Type %q, contentType %q, id %v, metadata %v", path, ctype, ct, r.DIDDocument["id"], r.DIDDocumentMetadata)
			}
		}
		// A representation media type gives the document alone.
		code, _, body := fetch(t, http.MethodGet, base+d, "application/did+json", "", nil)
		if code != http.StatusOK || !strings.Contains(string(body), `"id":"`+d+`"`) || strings.Contains(string(body), "didResolutionMetadata") {
			t.Errorf("%s as application/did+json: %d %.200s", d, code, body)
		}
	}
	notFound := strings.Replace(in.did, "did:kakunin:c", "did:kakunin:d", 1)
	for _, c := range []struct {
		path, errType string
		status        int
	}{
		{"not-a-did", "INVALID_DID", http.StatusBadRequest},
		{"did:example", "INVALID_DID", http.StatusBadRequest},
		{"did:unsupported:123456789abcdefghi", "METHOD_NOT_SUPPORTED", http.StatusNotImplemented},
		{notFound, "NOT_FOUND", http.StatusNotFound},
	} {
		code, _, body := fetch(t, http.MethodGet, base+c.path, "application/did-resolution", "", nil)
		var r struct {
			DIDDocument           json.RawMessage `json:"didDocument"`
			DIDDocumentMetadata   map[string]any  `json:"didDocumentMetadata"`
			DIDResolutionMetadata struct {
				Error struct {
					Type string `json:"type"`
				} `json:"error"`
			} `json:"didResolutionMetadata"`
		}
		if err := json.Unmarshal(body, &r); err != nil || code != c.status || string(r.DIDDocument) != "null" ||
			len(r.DIDDocumentMetadata) != 0 || r.DIDResolutionMetadata.Error.Type != "https://www.w3.org/ns/did#"+c.errType {
			t.Errorf("%s: %d %s, want %d with an empty %s result", c.path, code, body, c.status, c.errType)
		}
	}
	if code, _, _ := fetch(t, http.MethodGet, base+valid[1], "application/x-unsupported-did-representation-99999", "", nil); code != http.StatusNotAcceptable {
		t.Errorf("unsupported representation: %d, want 406", code)
	}
	// Dereferencing, as the suite's derefUrls: the result type, 200, contentType in Content-Type.
	for _, u := range []string{in.did + "?versionId=1", valid[1] + "#" + strings.TrimPrefix(valid[1], "did:key:")} {
		code, ctype, body := fetch(t, http.MethodGet, base+url.QueryEscape(u), "application/did-url-dereferencing", "", nil)
		var r struct {
			DereferencingMetadata map[string]any  `json:"dereferencingMetadata"`
			ContentStream         json.RawMessage `json:"contentStream"`
			ContentMetadata       map[string]any  `json:"contentMetadata"`
		}
		if err := json.Unmarshal(body, &r); err != nil || code != http.StatusOK || len(r.ContentStream) == 0 || r.ContentMetadata == nil {
			t.Fatalf("%s: %d %s", u, code, body)
		}
		if ct, _ := r.DereferencingMetadata["contentType"].(string); ct == "" || !strings.Contains(ctype, ct) {
			t.Errorf("%s: Content-Type %q, contentType %q", u, ctype, ct)
		}
	}
}
