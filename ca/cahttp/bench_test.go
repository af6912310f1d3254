package cahttp_test

import (
	"bytes"
	"crypto"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/crypto/ocsp"
)

// BenchmarkOCSPHTTPCached measures cached OCSP answers through the whole echo stack
// (request id, logging, metrics, body limit, handler), without the network.
func BenchmarkOCSPHTTPCached(b *testing.B) {
	e := newEnv(b)
	chain := e.enroll(ed25519Key("agent"))
	req, err := ocsp.CreateRequest(chain[0], chain[1], &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		b.Fatal(err)
	}
	h := e.handler
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest(http.MethodPost, "/ca/owners/acme/ocsp", bytes.NewReader(req))
			r.Header.Set("Content-Type", "application/ocsp-request")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Errorf("status %d", w.Code)
				return
			}
		}
	})
}
