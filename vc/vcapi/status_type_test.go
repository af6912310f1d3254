package vcapi

import "testing"

// TestStatusListType: a status list is application/vc unless the client asks for
// the JSON-LD or JSON type (JSON-LD document loaders such as jsonld.js's read only
// JSON types, so a verifier built on one could not read the list otherwise).
func TestStatusListType(t *testing.T) {
	for accept, want := range map[string]string{
		"":                 "application/vc",
		"*/*":              "application/vc",
		"application/json": "application/json",
		"application/ld+json, application/json;q=0.9": "application/ld+json",
		"application/vc;q=0.5, application/json":      "application/json",
		"text/html, application/vc":                   "application/vc",
		"application/json;q=0":                        "application/vc",
	} {
		if got := statusListType(accept); got != want {
			t.Errorf("Accept %q: %s, want %s", accept, got, want)
		}
	}
}
