package ca_test

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
)

// renewal builds a renewal request for issued, signed by signer.
func renewal(t *testing.T, e *env, issued *ca.Issued, newKey, signer crypto.Signer) ca.RenewRequest {
	t.Helper()
	csr := csrFor(t, newKey)
	at := e.clock.Now()
	sig, err := ca.SignRenewal(rand.Reader, signer, ownerID, issued.Certificate.SerialNumber, at, csr)
	if err != nil {
		t.Fatal(err)
	}
	return ca.RenewRequest{Owner: ownerID, Tenant: tenant, Serial: issued.Certificate.SerialNumber, CSR: csr, Time: at, Signature: sig}
}

func TestRenew(t *testing.T) {
	keys := []struct {
		name string
		key  crypto.Signer
	}{
		{"Ed25519", ed25519Key(t, "agent")},
		{"P-256", ecKey(t, elliptic.P256())},
		{"P-384", ecKey(t, elliptic.P384())},
		{"RSA-2048", rsaKey(t, 2048)},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			e := newEnv(t, ca.Options{})
			old := e.enroll(k.key)
			e.clock.Advance(20 * time.Hour)
			issued, err := e.ca.Renew(context.Background(), renewal(t, e, old, k.key, k.key))
			if err != nil {
				t.Fatal(err)
			}
			checkProfile(t, issued.Certificate, e.did())
			events, _ := e.db.Events(context.Background(), e.did().String())
			if len(events) != 2 || events[1].Kind != store.EventRenewed {
				t.Errorf("events %+v, want issued then renewed", events)
			}
		})
	}
}

// TestRotate renews onto a new key and revokes the old certificate as superseded.
func TestRotate(t *testing.T) {
	e := newEnv(t, ca.Options{AllowExtraURIs: true})
	ctx := context.Background()
	oldKey, newKey := ed25519Key(t, "old"), ed25519Key(t, "new")
	old, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(t, oldKey), DID: e.did().String(),
		ExtraURIs: []string{"urn:example:instance:1"}})
	if err != nil {
		t.Fatal(err)
	}
	req := renewal(t, e, old, newKey, oldKey)
	req.RevokeOld = true
	issued, err := e.ca.Renew(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !sameKeyTest(issued.Certificate.PublicKey, newKey.Public()) || len(issued.Certificate.URIs) != 2 {
		t.Errorf("rotated certificate key or URIs wrong: %v", issued.Certificate.URIs)
	}
	rec, err := e.db.Certificate(ctx, ownerID, old.Certificate.SerialNumber)
	if err != nil || rec.State != store.CertRevoked || rec.Reason != store.ReasonSuperseded {
		t.Errorf("old certificate %+v, %v; want revoked superseded", rec, err)
	}
	if _, err := e.ca.Renew(ctx, renewal(t, e, old, newKey, oldKey)); !errors.Is(err, ca.ErrPolicy) {
		t.Errorf("renewing a revoked certificate = %v, want ErrPolicy", err)
	}
}

func sameKeyTest(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

func TestRenewErrors(t *testing.T) {
	e := newEnv(t, ca.Options{})
	key, other := ed25519Key(t, "agent"), ed25519Key(t, "intruder")
	old := e.enroll(key)
	tests := []struct {
		name   string
		build  func() ca.RenewRequest
		before time.Duration
		want   error
	}{
		{"signed by another key", func() ca.RenewRequest { return renewal(t, e, old, other, other) }, 0, ca.ErrProofOfPossession},
		{"signature over another CSR", func() ca.RenewRequest {
			r := renewal(t, e, old, key, key)
			r.CSR = csrFor(t, other)
			return r
		}, 0, ca.ErrProofOfPossession},
		{"stale time", func() ca.RenewRequest {
			r := renewal(t, e, old, key, key)
			e.clock.Advance(10 * time.Minute)
			return r
		}, 0, ca.ErrPolicy},
		{"expired", func() ca.RenewRequest { return renewal(t, e, old, key, key) }, 25 * time.Hour, ca.ErrPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Advance(tc.before)
			if _, err := e.ca.Renew(context.Background(), tc.build()); !errors.Is(err, tc.want) {
				t.Fatalf("Renew = %v, want %v", err, tc.want)
			}
		})
	}
}
