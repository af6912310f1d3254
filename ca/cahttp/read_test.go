package cahttp_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

func TestOwner(t *testing.T) {
	e := newEnv(t)
	resp, body := e.do(http.MethodGet, "/ca/owners/acme", "", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pem-certificate-chain" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	chain, err := ca.ParseChainPEM(body)
	if err != nil || len(chain) != 1 || !chain[0].Equal(e.owner.Certificate) {
		t.Fatalf("owner chain %v, %v", chain, err)
	}
	resp, body = e.do(http.MethodGet, "/ca/owners/nobody", "", "", nil)
	wantProblem(t, resp, body, http.StatusNotFound)

	// The caIssuers URL of agent certificates serves the owner certificate in DER.
	agent := e.enroll(ed25519Key("agent"))[0]
	if len(agent.IssuingCertificateURL) != 1 {
		t.Fatalf("caIssuers %v", agent.IssuingCertificateURL)
	}
	resp, body = e.do(http.MethodGet, strings.TrimPrefix(agent.IssuingCertificateURL[0], e.srv.URL), "", "", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pkix-cert" || !bytes.Equal(body, e.owner.Certificate.Raw) {
		t.Fatalf("caIssuers: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestCRL(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path   string
		status int
		media  string
	}{
		{"/ca/owners/acme/crl", http.StatusOK, "application/pkix-crl"},
		{"/ca/owners/acme/crl.pem", http.StatusOK, "application/x-pem-file"},
		{"/ca/owners/nobody/crl", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := e.do(http.MethodGet, tc.path, "", "", nil)
			if tc.status != http.StatusOK {
				wantProblem(t, resp, body, tc.status)
				return
			}
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.media {
				t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			// nextUpdate is 24 h minus the one-minute backdating away.
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=86340") {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
}

// TestRevocationOverHTTP runs the revocation checker against the served CRL and OCSP
// URLs written in the certificates, before and after a revocation over HTTP.
func TestRevocationOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chain := e.enroll(ed25519Key("agent"))
	checker := func() *revocation.Checker {
		return revocation.New(revocation.Options{Now: e.clock.Now, Transport: revocation.HTTPTransport{Client: e.srv.Client()}})
	}
	for name, check := range map[string]func(*revocation.Checker) (revocation.Result, error){
		"OCSP": func(c *revocation.Checker) (revocation.Result, error) { return c.CheckOCSP(ctx, chain[0], chain[1]) },
		"CRL":  func(c *revocation.Checker) (revocation.Result, error) { return c.CheckCRL(ctx, chain[0], chain[1]) },
	} {
		if r, err := check(checker()); err != nil || r.Status != revocation.Good {
			t.Fatalf("%s before revocation: %+v, %v", name, r, err)
		}
	}
	resp, body := e.postJSON("/ca/owners/acme/revoke", tokenOwner, map[string]any{"serialNumber": chain[0].SerialNumber.Text(16), "reason": "keyCompromise"})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	for name, check := range map[string]func(*revocation.Checker) (revocation.Result, error){
		"OCSP": func(c *revocation.Checker) (revocation.Result, error) { return c.CheckOCSP(ctx, chain[0], chain[1]) },
		"CRL":  func(c *revocation.Checker) (revocation.Result, error) { return c.CheckCRL(ctx, chain[0], chain[1]) },
	} {
		if r, err := check(checker()); err != nil || r.Status != revocation.Revoked || r.Reason != 1 {
			t.Fatalf("%s after revocation: %+v, %v", name, r, err)
		}
	}
}

func TestOCSPGetAndPost(t *testing.T) {
	e := newEnv(t)
	chain := e.enroll(ed25519Key("agent"))
	req, err := ocsp.CreateRequest(chain[0], chain[1], &ocsp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(req)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        []byte
		want        ocsp.ResponseStatus // Success means a good answer
		httpStatus  int
	}{
		{"POST", http.MethodPost, "/ca/owners/acme/ocsp", "application/ocsp-request", req, ocsp.Success, http.StatusOK},
		{"GET", http.MethodGet, "/ca/owners/acme/ocsp/" + url.PathEscape(b64), "", nil, ocsp.Success, http.StatusOK},
		{"GET unescaped", http.MethodGet, "/ca/owners/acme/ocsp/" + b64, "", nil, ocsp.Success, http.StatusOK},
		{"GET not base64", http.MethodGet, "/ca/owners/acme/ocsp/%25%25", "", nil, ocsp.Malformed, http.StatusOK},
		{"POST garbage", http.MethodPost, "/ca/owners/acme/ocsp", "application/ocsp-request", []byte{1, 2, 3}, ocsp.Malformed, http.StatusOK},
		{"POST unknown owner", http.MethodPost, "/ca/owners/nobody/ocsp", "application/ocsp-request", req, ocsp.Unauthorized, http.StatusOK},
		{"POST wrong media type", http.MethodPost, "/ca/owners/acme/ocsp", "application/json", req, 0, http.StatusUnsupportedMediaType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(tc.method, tc.path, "", tc.contentType, tc.body)
			if tc.httpStatus != http.StatusOK {
				wantProblem(t, resp, body, tc.httpStatus)
				return
			}
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/ocsp-response" {
				t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			parsed, err := ocsp.ParseResponseForCert(body, chain[0], chain[1])
			if tc.want != ocsp.Success {
				if err != (ocsp.ResponseError{Status: tc.want}) {
					t.Fatalf("response %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil || parsed.Status != ocsp.Good {
				t.Fatalf("response %+v, %v", parsed, err)
			}
			if !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=") {
				t.Errorf("cacheable answer with Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}
