package storetest

import (
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// event appends an event for certificate (o1, serial) and returns it as stored.
func event(t *testing.T, db store.DB, kind store.EventKind, did string, serial int64, when time.Time) store.Event {
	t.Helper()
	var got store.Event
	write(t, db, func(tx store.Tx) (err error) {
		got, err = tx.AppendEvent(ctx, store.Event{DID: did, Kind: kind, Time: when,
			IssuerID: "o1", Serial: big.NewInt(serial)})
		return err
	})
	return got
}

func testEvents(t *testing.T, db store.DB) {
	setup(t, db, cert("o1", 1, "did:a"), cert("o1", 2, "did:a"), cert("o1", 3, "did:b"))
	_, err := db.DID(ctx, "did:a")
	wantErr(t, err, store.ErrNotFound)
	if evs, err := db.Events(ctx, "did:a"); err != nil || len(evs) != 0 {
		t.Fatalf("Events before any = %v, %v; want empty", evs, err)
	}

	e1 := event(t, db, store.EventIssued, "did:a", 1, at(10))
	other := event(t, db, store.EventIssued, "did:b", 3, at(11))
	e2 := event(t, db, store.EventRenewed, "did:a", 2, at(20))
	e3 := event(t, db, store.EventRevoked, "did:a", 1, at(15)) // earlier than e2: raised to e2's time
	if e1.VersionID != 1 || e2.VersionID != 2 || e3.VersionID != 3 || other.VersionID != 1 {
		t.Fatalf("versionIds = %d, %d, %d (did:b %d); want 1, 2, 3 (did:b 1)",
			e1.VersionID, e2.VersionID, e3.VersionID, other.VersionID)
	}
	if !e1.Time.Equal(micro(at(10))) || !e3.Time.Equal(e2.Time) {
		t.Errorf("times = %v, %v, %v; want %v and the third raised to the second", e1.Time, e2.Time, e3.Time, at(10))
	}

	evs, err := db.Events(ctx, "did:a")
	if err != nil || len(evs) != 3 {
		t.Fatalf("Events = %v, %v; want 3", evs, err)
	}
	for i, want := range []store.Event{e1, e2, e3} {
		got := evs[i]
		if got.VersionID != want.VersionID || got.Kind != want.Kind || !got.Time.Equal(want.Time) ||
			got.IssuerID != "o1" || got.Serial.Cmp(want.Serial) != 0 || got.DID != "did:a" {
			t.Errorf("Events[%d] = %+v, want %+v", i, got, want)
		}
	}
	state, err := db.DID(ctx, "did:a")
	if err != nil || state.Version != 3 || !state.Created.Equal(e1.Time) || !state.Updated.Equal(e3.Time) ||
		state.Deactivated {
		t.Errorf("DID = %+v, %v; want version 3, created %v, updated %v", state, err, e1.Time, e3.Time)
	}

	bad := []struct {
		name string
		e    store.Event
		want error
	}{
		{"certificate of another DID", store.Event{DID: "did:a", Kind: store.EventIssued, Time: t0,
			IssuerID: "o1", Serial: big.NewInt(3)}, store.ErrInvalid},
		{"unknown certificate", store.Event{DID: "did:a", Kind: store.EventIssued, Time: t0,
			IssuerID: "o1", Serial: big.NewInt(9)}, store.ErrNotFound},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Tx(ctx, func(tx store.Tx) error { _, err := tx.AppendEvent(ctx, tc.e); return err })
			wantErr(t, err, tc.want)
		})
	}
}

func testDeactivation(t *testing.T, db store.DB) {
	setup(t, db, cert("o1", 1, "did:a"))
	deactivate := func(did string) (store.Event, error) {
		var e store.Event
		err := db.Tx(ctx, func(tx store.Tx) (err error) {
			e, err = tx.Deactivate(ctx, did, at(30))
			return err
		})
		return e, err
	}
	_, err := deactivate("did:a")
	wantErr(t, err, store.ErrNotFound) // no history yet

	event(t, db, store.EventIssued, "did:a", 1, at(10))
	e, err := deactivate("did:a")
	if err != nil || e.VersionID != 2 || e.Kind != store.EventDeactivated || e.Serial != nil {
		t.Fatalf("Deactivate = %+v, %v; want version 2 of kind deactivated", e, err)
	}
	state, err := db.DID(ctx, "did:a")
	if err != nil || !state.Deactivated || !state.DeactivatedAt.Equal(micro(at(30))) || state.Version != 2 {
		t.Fatalf("DID = %+v, %v; want deactivated at %v", state, err, at(30))
	}
	_, err = deactivate("did:a")
	wantErr(t, err, store.ErrDeactivated)
	err = db.Tx(ctx, func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", 2, "did:a")) })
	wantErr(t, err, store.ErrDeactivated)
	err = db.Tx(ctx, func(tx store.Tx) error {
		_, err := tx.AppendEvent(ctx, store.Event{DID: "did:a", Kind: store.EventPublished, Time: at(40),
			IssuerID: "o1", Serial: big.NewInt(1)})
		return err
	})
	wantErr(t, err, store.ErrDeactivated)

	// Revoking the certificates of a deactivated DID is still recorded.
	write(t, db, func(tx store.Tx) error {
		return tx.RevokeCertificate(ctx, "o1", big.NewInt(1), at(40), store.ReasonCessationOfOperation)
	})
	if e := event(t, db, store.EventRevoked, "did:a", 1, at(40)); e.VersionID != 3 {
		t.Errorf("revocation after deactivation has version %d, want 3", e.VersionID)
	}
}
