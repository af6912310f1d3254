package ca_test

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// TestEnrollKeyTypes issues a certificate for each allowed key type and checks it
// against the agent-certificate profile and chain validation.
func TestEnrollKeyTypes(t *testing.T) {
	e := newEnv(t, ca.Options{})
	tests := []struct {
		name string
		key  crypto.Signer
	}{
		{"Ed25519", ed25519Key(t, "agent")},
		{"P-256", ecKey(t, elliptic.P256())},
		{"P-384", ecKey(t, elliptic.P384())},
		{"RSA-2048", rsaKey(t, 2048)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			issued := e.enroll(tc.key)
			checkIssued(t, issued, e.did())
		})
	}
}

// checkIssued asserts the profile, the chain and the CRL and OCSP pointers.
func checkIssued(t *testing.T, issued *ca.Issued, id kakunin.ID) {
	t.Helper()
	cert := issued.Certificate
	if err := kakunin.CheckAgentCertificate(cert, id, kakunin.ProfileOptions{}); err != nil {
		t.Fatalf("CheckAgentCertificate: %v", err)
	}
	if _, err := kakunin.VerifyChain(issued.Chain, id, kakunin.VerifyOptions{CurrentTime: t0}); err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if got := cert.NotAfter.Sub(cert.NotBefore); got != ca.DefaultValidity {
		t.Errorf("validity %v, want %v", got, ca.DefaultValidity)
	}
	if !slices.Equal(cert.CRLDistributionPoints, []string{"https://ca.example.com/ca/owners/acme/crl"}) ||
		!slices.Equal(cert.OCSPServer, []string{"https://ca.example.com/ca/owners/acme/ocsp"}) {
		t.Errorf("CRL DP %v, OCSP %v", cert.CRLDistributionPoints, cert.OCSPServer)
	}
}

func TestEnrollRecordsEvent(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	ctx := context.Background()
	events, err := e.db.Events(ctx, e.did().String())
	if err != nil || len(events) != 1 || events[0].Kind != store.EventIssued || events[0].Serial.Cmp(issued.Certificate.SerialNumber) != 0 {
		t.Fatalf("events = %+v, %v; want one issued event for the certificate", events, err)
	}
	rec, err := e.db.Certificate(ctx, ownerID, issued.Certificate.SerialNumber)
	if err != nil || string(rec.DER) != string(issued.Certificate.Raw) || rec.DID != e.did().String() {
		t.Fatalf("recorded certificate = %+v, %v", rec, err)
	}
	if issued.VersionID != 1 {
		t.Errorf("VersionID = %d, want 1", issued.VersionID)
	}
}

func TestEnrollExtraURIs(t *testing.T) {
	e := newEnv(t, ca.Options{AllowExtraURIs: true})
	issued, err := e.ca.Enroll(context.Background(), ca.EnrollRequest{
		Owner: ownerID, Tenant: tenant, CSR: csrFor(t, ed25519Key(t, "agent")), DID: e.did().String(),
		ExtraURIs: []string{"spiffe://agents.example.com/invoice/1"}, Validity: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(issued.Certificate.URIs) != 2 || issued.Certificate.URIs[1].String() != "spiffe://agents.example.com/invoice/1" {
		t.Errorf("URIs = %v", issued.Certificate.URIs)
	}
	if d := issued.Certificate.NotAfter.Sub(issued.Certificate.NotBefore); d != time.Hour {
		t.Errorf("validity %v, want 1h", d)
	}
	checkProfile(t, issued.Certificate, e.did())
}

func checkProfile(t *testing.T, cert *x509.Certificate, id kakunin.ID) {
	t.Helper()
	if err := kakunin.CheckAgentCertificate(cert, id, kakunin.ProfileOptions{}); err != nil {
		t.Fatalf("CheckAgentCertificate: %v", err)
	}
}

func TestEnrollErrors(t *testing.T) {
	e := newEnv(t, ca.Options{})
	other, err := kakunin.New(modelDigest, promptDigest, ed25519Key(t, "someone else").Public())
	if err != nil {
		t.Fatal(err)
	}
	agent := ed25519Key(t, "agent")
	good := func() ca.EnrollRequest {
		return ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(t, agent), ModelDigest: modelDigest, PromptDigest: promptDigest}
	}
	tests := []struct {
		name   string
		change func(*ca.EnrollRequest)
		want   error
	}{
		{"unknown owner", func(r *ca.EnrollRequest) { r.Owner = "nobody" }, ca.ErrUnknownOwner},
		{"other tenant", func(r *ca.EnrollRequest) { r.Tenant = "tenant-b" }, ca.ErrForbidden},
		{"CSR garbage", func(r *ca.EnrollRequest) { r.CSR = []byte("not a CSR") }, ca.ErrInvalidRequest},
		{"CSR signature", func(r *ca.EnrollRequest) { r.CSR[len(r.CSR)-1] ^= 1 }, ca.ErrProofOfPossession},
		{"RSA-1024", func(r *ca.EnrollRequest) { r.CSR = csrFor(t, rsaKey(t, 1024)) }, ca.ErrPolicy},
		{"P-521", func(r *ca.EnrollRequest) { r.CSR = csrFor(t, ecKey(t, elliptic.P521())) }, ca.ErrPolicy},
		{"no DID, one digest", func(r *ca.EnrollRequest) { r.PromptDigest = kakunin.Digest{} }, ca.ErrInvalidRequest},
		{"DID of another owner", func(r *ca.EnrollRequest) { r.DID = other.String() }, ca.ErrPolicy},
		{"DID and other digest", func(r *ca.EnrollRequest) { r.DID, r.ModelDigest = e.did().String(), promptDigest }, ca.ErrInvalidRequest},
		{"not a DID", func(r *ca.EnrollRequest) { r.DID = "did:web:example.com" }, ca.ErrInvalidRequest},
		{"validity too long", func(r *ca.EnrollRequest) { r.Validity = 25 * time.Hour }, ca.ErrPolicy},
		{"validity too short", func(r *ca.EnrollRequest) { r.Validity = time.Second }, ca.ErrPolicy},
		{"extra URIs not allowed", func(r *ca.EnrollRequest) { r.ExtraURIs = []string{"urn:example:1"} }, ca.ErrPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := good()
			tc.change(&r)
			if _, err := e.ca.Enroll(context.Background(), r); !errors.Is(err, tc.want) {
				t.Fatalf("Enroll = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := e.ca.Enroll(context.Background(), good()); err != nil {
		t.Fatalf("the unchanged request fails: %v", err)
	}
}

func TestEnrollExtraURIErrors(t *testing.T) {
	e := newEnv(t, ca.Options{AllowExtraURIs: true, MaxExtraURIs: 1})
	tests := []struct {
		name string
		uris []string
		want error
	}{
		{"too many", []string{"urn:a:1", "urn:a:2"}, ca.ErrPolicy},
		{"relative", []string{"/instance/1"}, ca.ErrInvalidRequest},
		{"a DID", []string{"did:example:123"}, ca.ErrPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.ca.Enroll(context.Background(), ca.EnrollRequest{Owner: ownerID, Tenant: tenant,
				CSR: csrFor(t, ed25519Key(t, "agent")), DID: e.did().String(), ExtraURIs: tc.uris})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Enroll = %v, want %v", err, tc.want)
			}
		})
	}
}
