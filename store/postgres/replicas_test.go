package postgres_test

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
)

// TestTwoReplicas runs two independent stores (two pools, as two processes would
// have) on one database. Both race to allocate serials, record certificates and
// append events to one DID; no serial may repeat, no event may be lost or share a
// versionId, and each store sees the other's revocations.
func TestTwoReplicas(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []store.DB{openDSN(t, dsn, postgres.Options{}), openDSN(t, dsn, postgres.Options{})}
	ctx := context.Background()
	t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	owner := store.Owner{ID: "o1", OwnerKey: "z6MkOwner", CertDER: []byte("ca"), Created: t0}
	if err := replicas[0].Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, owner) }); err != nil {
		t.Fatal(err)
	}

	const perReplica = 60
	issued := make(chan *big.Int, 2*perReplica)
	var wg sync.WaitGroup
	for _, db := range replicas {
		for range perReplica {
			wg.Go(func() {
				s, err := issue(ctx, db, t0)
				if err != nil {
					t.Error(err)
					return
				}
				issued <- s
			})
		}
	}
	wg.Wait()
	close(issued)
	var serials []*big.Int
	seen := map[string]bool{}
	for s := range issued {
		if seen[s.String()] {
			t.Errorf("serial %x issued twice", s)
		}
		seen[s.String()] = true
		serials = append(serials, s)
	}

	for _, db := range replicas {
		evs, err := db.Events(ctx, "did:shared")
		if err != nil || len(evs) != 2*perReplica {
			t.Fatalf("Events = %d events, %v; want %d", len(evs), err, 2*perReplica)
		}
		for i, e := range evs {
			if e.VersionID != int64(i+1) {
				t.Fatalf("event %d has versionId %d: versionIds must be 1..n without gaps", i, e.VersionID)
			}
		}
	}
	crossRevocations(t, replicas, serials[:4])
}

// issue allocates a serial, records its certificate and appends its event, atomically.
func issue(ctx context.Context, db store.DB, now time.Time) (*big.Int, error) {
	var serial *big.Int
	err := db.Tx(ctx, func(tx store.Tx) (err error) {
		if serial, err = tx.AllocateSerial(ctx, "o1", now); err != nil {
			return err
		}
		c := store.Certificate{IssuerID: "o1", Serial: serial, DID: "did:shared", DER: serial.Bytes(),
			NotBefore: now, NotAfter: now.Add(24 * time.Hour)}
		if err := tx.PutCertificate(ctx, c); err != nil {
			return err
		}
		_, err = tx.AppendEvent(ctx, store.Event{DID: c.DID, Kind: store.EventIssued, Time: now,
			IssuerID: "o1", Serial: serial})
		return err
	})
	return serial, err
}

// crossRevocations revokes serials[0:2] through replica 0 and serials[2:4] through
// replica 1, and checks that each replica sees all four and cannot revoke twice.
func crossRevocations(t *testing.T, replicas []store.DB, serials []*big.Int) {
	ctx := context.Background()
	when := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for i, s := range serials {
		err := replicas[i/2].Tx(ctx, func(tx store.Tx) error {
			return tx.RevokeCertificate(ctx, "o1", s, when, store.ReasonKeyCompromise)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for r, db := range replicas {
		revoked, err := db.RevokedCertificates(ctx, "o1")
		if err != nil || len(revoked) != len(serials) {
			t.Errorf("replica %d sees %d revoked, %v; want %d", r, len(revoked), err, len(serials))
		}
		other := serials[(1-r)*2]
		c, err := db.Certificate(ctx, "o1", other)
		if err != nil || c.State != store.CertRevoked || !c.RevokedAt.Equal(when) {
			t.Errorf("replica %d reads the other's revocation as %+v, %v", r, c, err)
		}
		err = db.Tx(ctx, func(tx store.Tx) error {
			return tx.RevokeCertificate(ctx, "o1", other, when, store.ReasonSuperseded)
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("replica %d revoking the other's revoked certificate = %v, want ErrConflict", r, err)
		}
	}
}

// TestDeactivationRace deactivates one DID from both replicas while both keep
// issuing for it: exactly one deactivation wins, and no issuance is recorded
// after the deactivated version.
func TestDeactivationRace(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []store.DB{openDSN(t, dsn, postgres.Options{}), openDSN(t, dsn, postgres.Options{})}
	ctx := context.Background()
	t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	owner := store.Owner{ID: "o1", OwnerKey: "z6MkOwner", CertDER: []byte("ca"), Created: t0}
	if err := replicas[0].Tx(ctx, func(tx store.Tx) error { return tx.CreateOwner(ctx, owner) }); err != nil {
		t.Fatal(err)
	}
	if _, err := issue(ctx, replicas[0], t0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var deactivations, refused sync.Map
	for r, db := range replicas {
		wg.Go(func() {
			err := db.Tx(ctx, func(tx store.Tx) error { _, err := tx.Deactivate(ctx, "did:shared", t0); return err })
			deactivations.Store(r, err)
		})
		for i := range 20 {
			wg.Go(func() {
				if _, err := issue(ctx, db, t0); err != nil {
					if !errors.Is(err, store.ErrDeactivated) {
						t.Errorf("issuing: %v, want nil or ErrDeactivated", err)
					}
					refused.Store(r*100+i, true)
				}
			})
		}
	}
	wg.Wait()
	won := 0
	deactivations.Range(func(_, v any) bool {
		if v == nil {
			won++
		} else if err := v.(error); !errors.Is(err, store.ErrDeactivated) {
			t.Errorf("second deactivation = %v, want ErrDeactivated", err)
		}
		return true
	})
	if won != 1 {
		t.Fatalf("%d deactivations succeeded, want 1", won)
	}
	evs, err := replicas[1].Events(ctx, "did:shared")
	if err != nil {
		t.Fatal(err)
	}
	deactivated := false
	for _, e := range evs {
		switch {
		case e.Kind == store.EventDeactivated && deactivated:
			t.Errorf("second deactivated event at version %d", e.VersionID)
		case e.Kind == store.EventDeactivated:
			deactivated = true
		case deactivated:
			t.Errorf("%s event at version %d after deactivation", e.Kind, e.VersionID)
		}
	}
	if !deactivated {
		t.Error("no deactivated event recorded")
	}
}
