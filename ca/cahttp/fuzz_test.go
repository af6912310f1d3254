package cahttp_test

import (
	"crypto"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/ocsp"
)

// FuzzOCSPGet sends arbitrary request paths to the GET responder: every answer that
// is not a routing error is an OCSP response (HTTP 200) that parses.
func FuzzOCSPGet(f *testing.F) {
	e := newEnv(f)
	chain := e.enroll(ed25519Key("agent"))
	req, err := ocsp.CreateRequest(chain[0], chain[1], &ocsp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base64.StdEncoding.EncodeToString(req))
	f.Add("%2F%2B%3D")
	f.Add("MAMKAQE=")
	f.Fuzz(func(t *testing.T, suffix string) {
		if strings.ContainsAny(suffix, "?#\x00\r\n ") {
			return // not a path
		}
		r, err := http.NewRequest(http.MethodGet, "http://ca.test/ca/owners/acme/ocsp/"+suffix, nil)
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, r.URL.RequestURI(), nil))
		if w.Code != http.StatusOK {
			if w.Code >= 500 {
				t.Fatalf("status %d for %q", w.Code, suffix)
			}
			return
		}
		if _, err := ocsp.ParseResponse(w.Body.Bytes(), chain[1]); err != nil {
			if _, ok := err.(ocsp.ResponseError); !ok {
				t.Fatalf("answer to %q does not parse: %v", suffix, err)
			}
		}
	})
}
