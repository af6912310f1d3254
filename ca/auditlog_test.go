package ca_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// logged returns the audit entries of db from index from on.
func logged(t *testing.T, db store.DB, from uint64) []audit.Entry {
	t.Helper()
	r, ok := db.(audit.Reader)
	if !ok {
		t.Fatal("store keeps no audit log")
	}
	stored, err := r.EntriesRange(context.Background(), from, from+1000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]audit.Entry, 0, len(stored))
	for _, s := range stored {
		e, err := audit.ParseEntry(s.Entry)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func mustDigest(t *testing.T) func(audit.Digest, error) audit.Digest {
	return func(d audit.Digest, err error) audit.Digest {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
}

// checkEntries compares entries with want on type, actor, tenant, subject, digest
// and time.
func checkEntries(t *testing.T, got, want []audit.Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("logged %d entries %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Type != w.Type || g.Actor != w.Actor || g.Tenant != w.Tenant || g.Subject != w.Subject || g.Digest != w.Digest || !g.Time.Equal(w.Time) {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestAuditOwnerCreated(t *testing.T) {
	e := newEnv(t, ca.Options{})
	checkEntries(t, logged(t, e.db, 0), []audit.Entry{{Type: audit.OwnerCreated, Time: t0, Actor: ca.ActorSystem,
		Tenant: tenant, Digest: audit.SHA256(e.owner.Certificate.Raw)}})
}

func TestAuditCertificateChanges(t *testing.T) {
	ctx := context.Background()
	digest := mustDigest(t)
	tests := []struct {
		name string
		// do runs the operation after the env's owner is created and returns the
		// entries it must log.
		do func(t *testing.T, e *env) []audit.Entry
	}{
		{"enroll", func(t *testing.T, e *env) []audit.Entry {
			issued, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: tenant, Actor: "token-1",
				CSR: csrFor(t, ed25519Key(t, "agent")), ModelDigest: modelDigest, PromptDigest: promptDigest})
			if err != nil {
				t.Fatal(err)
			}
			return []audit.Entry{{Type: audit.CertIssued, Time: t0, Actor: "token-1", Tenant: tenant,
				Subject: e.did().String(), Digest: audit.SHA256(issued.Certificate.Raw)}}
		}},
		{"renew and revoke the old certificate", func(t *testing.T, e *env) []audit.Entry {
			key := ed25519Key(t, "agent")
			old := e.enroll(key)
			req := renewal(t, e, old, ed25519Key(t, "agent 2"), key)
			req.RevokeOld = true
			issued, err := e.ca.Renew(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			did := e.did().String()
			return []audit.Entry{
				{Type: audit.CertIssued, Time: t0, Actor: tenant, Tenant: tenant, Subject: did, Digest: audit.SHA256(old.Certificate.Raw)},
				{Type: audit.CertRenewed, Time: t0, Actor: tenant, Tenant: tenant, Subject: did, Digest: audit.SHA256(issued.Certificate.Raw)},
				{Type: audit.CertRevoked, Time: t0, Actor: tenant, Tenant: tenant, Subject: did,
					Digest: digest(ca.RevocationDigest(old.Certificate.Raw, store.ReasonSuperseded, t0))},
			}
		}},
		{"revoke", func(t *testing.T, e *env) []audit.Entry {
			issued := e.enroll(ed25519Key(t, "agent"))
			e.clock.Advance(time.Minute)
			at := e.clock.Now()
			err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Actor: "token-2",
				Serial: issued.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise})
			if err != nil {
				t.Fatal(err)
			}
			did := e.did().String()
			return []audit.Entry{
				{Type: audit.CertIssued, Time: t0, Actor: tenant, Tenant: tenant, Subject: did, Digest: audit.SHA256(issued.Certificate.Raw)},
				{Type: audit.CertRevoked, Time: at, Actor: "token-2", Tenant: tenant, Subject: did,
					Digest: digest(ca.RevocationDigest(issued.Certificate.Raw, store.ReasonKeyCompromise, at))},
			}
		}},
		{"deactivate", func(t *testing.T, e *env) []audit.Entry {
			issued := e.enroll(ed25519Key(t, "agent"))
			did := e.did().String()
			if err := e.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: tenant}); err != nil {
				t.Fatal(err)
			}
			return []audit.Entry{
				{Type: audit.CertIssued, Time: t0, Actor: tenant, Tenant: tenant, Subject: did, Digest: audit.SHA256(issued.Certificate.Raw)},
				{Type: audit.CertRevoked, Time: t0, Actor: tenant, Tenant: tenant, Subject: did,
					Digest: digest(ca.RevocationDigest(issued.Certificate.Raw, store.ReasonCessationOfOperation, t0))},
				{Type: audit.DIDDeactivated, Time: t0, Actor: tenant, Tenant: tenant, Subject: did, Digest: digest(ca.DeactivationDigest(did, t0))},
			}
		}},
		{"publish", func(t *testing.T, e *env) []audit.Entry {
			chain := externalChain(t)
			pub, err := e.ca.Publish(ctx, ca.PublishRequest{Chain: chain, Actor: "publisher"})
			if err != nil {
				t.Fatal(err)
			}
			return []audit.Entry{
				{Type: audit.OwnerCreated, Time: t0, Actor: "publisher", Tenant: pub.IssuerID, Digest: audit.SHA256(chain[1].Raw)},
				{Type: audit.ChainPublished, Time: t0, Actor: "publisher", Tenant: pub.IssuerID, Subject: pub.ID.String(), Digest: audit.SHA256(chain[0].Raw)},
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, ca.Options{})
			want := tc.do(t, e)
			checkEntries(t, logged(t, e.db, 1), want)
		})
	}
}

func TestAuditFailedOperationLogsNothing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	revoke := ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: issued.Certificate.SerialNumber}
	if err := e.ca.Revoke(ctx, revoke); err != nil {
		t.Fatal(err)
	}
	size := uint64(len(logged(t, e.db, 0)))
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"revoke twice", func() error { return e.ca.Revoke(ctx, revoke) }, ca.ErrConflict},
		{"enroll for another tenant", func() error {
			_, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: "tenant-b", CSR: csrFor(t, ed25519Key(t, "b")),
				ModelDigest: modelDigest, PromptDigest: promptDigest})
			return err
		}, ca.ErrForbidden},
		{"unloggable actor", func() error {
			_, err := e.ca.Enroll(ctx, ca.EnrollRequest{Owner: ownerID, Tenant: tenant, Actor: "bad\x00actor",
				CSR: csrFor(t, ed25519Key(t, "c")), ModelDigest: modelDigest, PromptDigest: promptDigest})
			return err
		}, ca.ErrInvalidRequest},
		{"owner id taken", func() error {
			_, err := e.ca.InitOwner(ctx, ca.OwnerRequest{ID: ownerID, Signer: ed25519Key(t, "other owner")})
			return err
		}, ca.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if got := logged(t, e.db, size); len(got) != 0 {
				t.Fatalf("failed operation logged %+v", got)
			}
		})
	}
}

// crlFailingDB fails every PutCRL once fail is set: the last step of a
// revocation, after its audit entry was appended in the same transaction.
type crlFailingDB struct {
	store.DB
	fail bool
}

var errCRL = errors.New("test: PutCRL failed")

func (d *crlFailingDB) Tx(ctx context.Context, fn func(store.Tx) error) error {
	return d.DB.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil || !d.fail {
			return fn(tx)
		}
		return fn(crlFailingTx{atx})
	})
}

type crlFailingTx struct{ store.AuditTx }

func (crlFailingTx) PutCRL(context.Context, store.CRL) error { return errCRL }

func TestAuditRolledBackWithTheChange(t *testing.T) {
	ctx := context.Background()
	inner, err := backend.Open(ctx, filepath.Join(t.TempDir(), "ca.db"), backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inner.Close() })
	db := &crlFailingDB{DB: inner}
	clk := &clock{t: t0}
	c, err := ca.New(db, ca.Options{BaseURL: "https://ca.example.com", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519Key(t, "owner")
	if _, err := c.InitOwner(ctx, ca.OwnerRequest{ID: ownerID, TenantID: tenant, Signer: key}); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ca: c, db: db, clock: clk, ownerKey: key}
	issued := e.enroll(ed25519Key(t, "agent"))
	size := uint64(len(logged(t, inner, 0)))
	db.fail = true
	err = c.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: issued.Certificate.SerialNumber})
	if !errors.Is(err, errCRL) {
		t.Fatalf("Revoke = %v, want the CRL failure", err)
	}
	if got := logged(t, inner, size); len(got) != 0 {
		t.Fatalf("rolled-back revocation logged %+v", got)
	}
	rec, err := inner.Certificate(ctx, ownerID, issued.Certificate.SerialNumber)
	if err != nil || rec.State != store.CertGood {
		t.Fatalf("certificate %v, %v; want still good", rec.State, err)
	}
}
