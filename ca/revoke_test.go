package ca_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/store"
)

// TestRevokeThroughChecker revokes one of two certificates and asks the revocation
// checker, by CRL and by OCSP, about both.
func TestRevokeThroughChecker(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	revoked := e.enroll(ed25519Key(t, "agent 1"))
	kept := e.enroll(ed25519Key(t, "agent 2"))
	// An OCSP answer cached before the revocation must not survive it.
	if r, err := e.checker().CheckOCSP(ctx, revoked.Certificate, e.owner.Certificate); err != nil || r.Status != revocation.Good {
		t.Fatalf("OCSP before revocation = %+v, %v", r, err)
	}
	e.clock.Advance(time.Minute)
	err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: revoked.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		issued *ca.Issued
		want   revocation.Status
		reason int
	}{
		{"revoked", revoked, revocation.Revoked, int(store.ReasonKeyCompromise)},
		{"kept", kept, revocation.Good, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chk := e.checker()
			for name, check := range map[string]func() (revocation.Result, error){
				"CRL": func() (revocation.Result, error) {
					return chk.CheckCRL(ctx, tc.issued.Certificate, e.owner.Certificate)
				},
				"OCSP": func() (revocation.Result, error) {
					return chk.CheckOCSP(ctx, tc.issued.Certificate, e.owner.Certificate)
				},
			} {
				r, err := check()
				if err != nil || r.Status != tc.want || r.Reason != tc.reason {
					t.Errorf("%s = %+v, %v; want %v reason %d", name, r, err, tc.want, tc.reason)
				}
			}
		})
	}
	events, _ := e.db.Events(ctx, e.did().String())
	if last := events[len(events)-1]; last.Kind != store.EventRevoked || last.Serial.Cmp(revoked.Certificate.SerialNumber) != 0 {
		t.Errorf("last event %+v, want revoked", last)
	}
	crl, err := e.ca.CRL(ctx, ownerID)
	if err != nil || crl.Number != 2 {
		t.Errorf("CRL after one revocation = %+v, %v; want number 2", crl, err)
	}
}

func TestRevokeErrors(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	issued := e.enroll(ed25519Key(t, "agent"))
	serial := issued.Certificate.SerialNumber
	if err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: serial}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  ca.RevokeRequest
		want error
	}{
		{"again", ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: serial}, ca.ErrConflict},
		{"unknown serial", ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: big.NewInt(12345)}, ca.ErrNotFound},
		{"no serial", ca.RevokeRequest{Owner: ownerID, Tenant: tenant}, ca.ErrInvalidRequest},
		{"certificateHold", ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: serial, Reason: store.ReasonCertificateHold}, ca.ErrInvalidRequest},
		{"other tenant", ca.RevokeRequest{Owner: ownerID, Tenant: "tenant-b", Serial: serial}, ca.ErrForbidden},
		{"unknown owner", ca.RevokeRequest{Owner: "nobody", Tenant: tenant, Serial: serial}, ca.ErrUnknownOwner},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := e.ca.Revoke(ctx, tc.req); !errors.Is(err, tc.want) {
				t.Fatalf("Revoke = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseReason(t *testing.T) {
	tests := []struct {
		in   string
		want ca.Reason
		err  error
	}{
		{"", store.ReasonUnspecified, nil},
		{"keyCompromise", store.ReasonKeyCompromise, nil},
		{"superseded", store.ReasonSuperseded, nil},
		{"privilegeWithdrawn", store.ReasonPrivilegeWithdrawn, nil},
		{"certificateHold", 0, ca.ErrInvalidRequest},
		{"KeyCompromise", 0, ca.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ca.ParseReason(tc.in)
			if got != tc.want || !errors.Is(err, tc.err) {
				t.Fatalf("ParseReason = %v, %v; want %v, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestDeactivate(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	a, b := e.enroll(ed25519Key(t, "agent 1")), e.enroll(ed25519Key(t, "agent 2"))
	did := e.did().String()
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: "tenant-b"}); !errors.Is(err, ca.ErrForbidden) {
		t.Fatalf("Deactivate by another tenant = %v, want ErrForbidden", err)
	}
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: tenant}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*ca.Issued{a, b} {
		rec, err := e.db.Certificate(ctx, ownerID, c.Certificate.SerialNumber)
		if err != nil || rec.State != store.CertRevoked || rec.Reason != store.ReasonCessationOfOperation {
			t.Errorf("certificate after deactivation = %+v, %v", rec, err)
		}
		r, err := e.checker().CheckCRL(ctx, c.Certificate, e.owner.Certificate)
		if err != nil || r.Status != revocation.Revoked {
			t.Errorf("CRL says %+v, %v; want revoked", r, err)
		}
	}
	state, err := e.db.DID(ctx, did)
	if err != nil || !state.Deactivated {
		t.Fatalf("DID state %+v, %v; want deactivated", state, err)
	}
	_, err = e.ca.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(t, ed25519Key(t, "agent 3")), DID: did})
	if !errors.Is(err, ca.ErrDeactivated) {
		t.Errorf("Enroll after deactivation = %v, want ErrDeactivated", err)
	}
	if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: tenant}); !errors.Is(err, ca.ErrDeactivated) {
		t.Errorf("second Deactivate = %v, want ErrDeactivated", err)
	}
}

func TestDeactivateErrors(t *testing.T) {
	e := newEnv(t, ca.Options{})
	other := "did:kakunin:" + modelDigest.String() + ":" + promptDigest.String() + ":z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	tests := []struct {
		name string
		did  string
		want error
	}{
		{"not a DID", "did:web:example.com", ca.ErrInvalidRequest},
		{"no history", e.did().String(), ca.ErrNotFound},
		{"owner not loaded", other, ca.ErrUnknownOwner},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := e.ca.Deactivate(context.Background(), ca.DeactivateRequest{DID: tc.did, Tenant: tenant}); !errors.Is(err, tc.want) {
				t.Fatalf("Deactivate = %v, want %v", err, tc.want)
			}
		})
	}
}
