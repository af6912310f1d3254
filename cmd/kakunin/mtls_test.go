package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/keys"
)

// mtlsAgent is an agent that authenticates with its certificate over TLS.
type mtlsAgent struct {
	key    crypto.Signer
	cert   *x509.Certificate
	client *http.Client
}

// newMTLSAgent makes a client presenting cert (with key) as its TLS client
// certificate, or none when cert is nil, and pinning the server as testClient does.
func newMTLSAgent(key crypto.Signer, cert *x509.Certificate) *mtlsAgent {
	tc := testClient.Transport.(*http.Transport).TLSClientConfig.Clone()
	if cert != nil {
		tc.Certificates = []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}}
	}
	return &mtlsAgent{key: key, cert: cert,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}}
}

// renewBody is a renewal of serial by the agent, signed with its key, keeping the key.
func (a *mtlsAgent) renewBody(t *testing.T, serial *big.Int) []byte {
	t.Helper()
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, a.key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	sig, err := ca.SignRenewal(rand.Reader, a.key, demoOwner, serial, now, csr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{
		"serialNumber": serial.Text(16),
		"csr":          string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})),
		"time":         now.Format(time.RFC3339),
		"signature":    base64.RawURLEncoding.EncodeToString(sig),
	})
	return body
}

// renew posts body to the mTLS renewal route and returns the status and answer.
func (a *mtlsAgent) renew(t *testing.T, in *instance, body []byte) (int, renewed) {
	t.Helper()
	resp, err := a.client.Post(in.base+"/ca/owners/demo/renew", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var r renewed
	if resp.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("renewal answer: %v\n%s", err, data)
		}
	}
	return resp.StatusCode, r
}

type renewed struct {
	DID          string `json:"did"`
	SerialNumber string `json:"serialNumber"`
	VersionID    int64  `json:"versionId"`
}

// TestServeMTLSRenewal renews the demo agent's certificate over mTLS with that
// certificate as the only credential, and checks the refusals: another DID's
// serial and a revoked certificate are forbidden, no client certificate is
// unauthenticated.
func TestServeMTLSRenewal(t *testing.T) {
	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--tls-self-signed")
	defer in.stop()
	admin := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || admin == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	key, err := keys.Open(context.Background(), filepath.Join(dir, demoDir, "agent.key"))
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := demoChain(t, dir)
	agent := newMTLSAgent(key, cert)
	before := versionOf(t, in, in.did)

	code, r := agent.renew(t, in, agent.renewBody(t, cert.SerialNumber))
	if code != http.StatusCreated || r.DID != in.did || r.SerialNumber == cert.SerialNumber.Text(16) ||
		r.VersionID != before+1 || versionOf(t, in, in.did) != r.VersionID {
		t.Fatalf("renewal: %d %+v, versionId before %d", code, r, before)
	}

	otherSerial := enrollOther(t, in, admin[1])
	revoke := []byte(fmt.Sprintf(`{"serialNumber":%q,"reason":"keyCompromise"}`, cert.SerialNumber.Text(16)))
	cases := []struct {
		name   string
		agent  *mtlsAgent
		serial *big.Int
		before func()
		want   int
	}{
		{"another DID's serial", agent, otherSerial, nil, http.StatusForbidden},
		{"no client certificate", newMTLSAgent(key, nil), cert.SerialNumber, nil, http.StatusUnauthorized},
		{"revoked certificate", agent, cert.SerialNumber, func() {
			if code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", admin[1], revoke); code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", code, body)
			}
		}, http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.before != nil {
				c.before()
			}
			if code, r := c.agent.renew(t, in, c.agent.renewBody(t, c.serial)); code != c.want {
				t.Errorf("status %d %+v, want %d", code, r, c.want)
			}
		})
	}
	if v := versionOf(t, in, in.did); v != before+2 {
		t.Errorf("versionId %d after the renewal and the revocation, want %d", v, before+2)
	}
}

// enrollOther enrols a second agent under the demo owner and returns its serial.
func enrollOther(t *testing.T, in *instance, token string) *big.Int {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, priv)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{
		"csr":          string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})),
		"modelDigest":  fmt.Sprintf("%064x", 1),
		"promptDigest": fmt.Sprintf("%064x", 2),
	})
	code, _, data := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/enroll", "application/json", token, body)
	var r renewed
	if err := json.Unmarshal(data, &r); code != http.StatusCreated || err != nil || r.DID == in.did {
		t.Fatalf("enrol: %d %v %s", code, err, data)
	}
	n, _ := new(big.Int).SetString(r.SerialNumber, 16)
	return n
}

// versionOf is the versionId of the current DID document of id.
func versionOf(t *testing.T, in *instance, id string) int64 {
	t.Helper()
	code, _, body := fetch(t, http.MethodGet, in.base+"/1.0/identifiers/"+url.QueryEscape(id), "application/did-resolution", "", nil)
	var r struct {
		Meta struct {
			VersionID string `json:"versionId"`
		} `json:"didDocumentMetadata"`
	}
	if err := json.Unmarshal(body, &r); err != nil || code != http.StatusOK {
		t.Fatalf("resolve: %d %v %s", code, err, body)
	}
	v, err := strconv.ParseInt(r.Meta.VersionID, 10, 64)
	if err != nil {
		t.Fatalf("versionId %q", r.Meta.VersionID)
	}
	return v
}
