package vcapi

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

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

// TestStoreBoundIsUnprocessable: a record the store refuses for its bounds comes from
// the request, so the answer is 422, not 500.
func TestStoreBoundIsUnprocessable(t *testing.T) {
	err := problem(fmt.Errorf("issuing: %w", &store.FieldError{Field: "credential id", Reason: "too long"}))
	var p *server.Problem
	if !errors.As(err, &p) || p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("problem = %#v", err)
	}
}
