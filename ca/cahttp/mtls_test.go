package cahttp_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
)

// tlsServer serves e's handler over TLS, requesting client certificates without
// verifying them, as kakunin serve does.
func tlsServer(t *testing.T, e *env) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(e.handler)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// postMTLS posts body to path presenting cert (with key) as the client
// certificate, none when cert is nil, and a bearer token when not empty.
func postMTLS(t *testing.T, srv *httptest.Server, path, token string, key ed25519.PrivateKey, cert *x509.Certificate, body any) (*http.Response, []byte) {
	t.Helper()
	tc := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	if cert != nil {
		tc.Certificates = []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key}}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}

// enrollOther enrols key for a DID other than e.did().
func (e *env) enrollOther(key ed25519.PrivateKey) *x509.Certificate {
	e.t.Helper()
	other := sha256.Sum256([]byte("another model"))
	resp, body := e.postJSON("/ca/owners/acme/enroll", tokenOwner, map[string]any{
		"csr": csrPEM(e.t, key), "modelDigest": fmtDigest(other), "promptDigest": promptDigest.String(),
	})
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("enroll: %d %s", resp.StatusCode, body)
	}
	var out struct{ Chain string }
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	chain, err := ca.ParseChainPEM([]byte(out.Chain))
	if err != nil {
		e.t.Fatal(err)
	}
	return chain[0]
}

func fmtDigest(d [32]byte) string {
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, 64)
	for _, b := range d {
		out = append(out, hexDigits[b>>4], hexDigits[b&15])
	}
	return string(out)
}

// TestRenewMTLS renews over mutual TLS with the agent's certificate as the only
// credential, and proves each refusal: an agent renews only its own, current,
// unrevoked certificate issued by the owner of the URL.
func TestRenewMTLS(t *testing.T) {
	agentKey, newKey, otherKey := ed25519Key("agent"), ed25519Key("rotated"), ed25519Key("other agent")
	tests := []struct {
		name string
		// prepare changes the registry or clock and returns the client
		// certificate and the body to send.
		prepare func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any)
		token   string
		status  int
	}{
		{"renewal with the same key", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			return cert, renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusCreated},
		{"rotation naming the DID", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			b := renewBody(t, e, cert.SerialNumber.Text(16), agentKey, newKey, true)
			b["did"] = e.did().String()
			return cert, b
		}, "", http.StatusCreated},
		{"no client certificate", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			return nil, renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusUnauthorized},
		{"a token takes precedence", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			return cert, renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
		}, tokenOther, http.StatusForbidden},
		{"another DID's serial", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			other := e.enrollOther(otherKey)
			return cert, renewBody(t, e, other.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusForbidden},
		{"another DID named", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			b := renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
			b["did"] = e.enrollOther(otherKey).URIs[0].String()
			return cert, b
		}, "", http.StatusForbidden},
		{"revoked", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			resp, body := e.postJSON("/ca/owners/acme/revoke", tokenOwner, map[string]any{"serialNumber": cert.SerialNumber.Text(16)})
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", resp.StatusCode, body)
			}
			return cert, renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusForbidden},
		{"expired at the CA's clock", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			e.clock.Advance(ca.DefaultValidity + time.Hour)
			return cert, renewBody(t, e, cert.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusForbidden},
		{"issued by another owner", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			foreign := newEnv(t, "another owner").enroll(agentKey)[0]
			return foreign, renewBody(t, e, foreign.SerialNumber.Text(16), agentKey, agentKey, false)
		}, "", http.StatusForbidden},
		{"unknown owner", func(t *testing.T, e *env, cert *x509.Certificate) (*x509.Certificate, map[string]any) {
			return cert, nil
		}, "", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			srv := tlsServer(t, e)
			cert, body := tc.prepare(t, e, e.enroll(agentKey)[0])
			path := "/ca/owners/acme/renew"
			if body == nil {
				path, body = "/ca/owners/nobody/renew", map[string]any{}
			}
			resp, data := postMTLS(t, srv, path, tc.token, agentKey, cert, body)
			if tc.status != http.StatusCreated {
				wantProblem(t, resp, data, tc.status)
				return
			}
			var got struct {
				DID          string `json:"did"`
				SerialNumber string `json:"serialNumber"`
				VersionID    int64  `json:"versionId"`
			}
			if err := json.Unmarshal(data, &got); resp.StatusCode != tc.status || err != nil {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, data)
			}
			if got.DID != e.did().String() || got.SerialNumber == cert.SerialNumber.Text(16) || got.VersionID != 2 {
				t.Errorf("renewed %+v from serial %s", got, cert.SerialNumber.Text(16))
			}
		})
	}
}
