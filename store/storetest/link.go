package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

func link(pred, succ string, minutes int) store.Link {
	return store.Link{Predecessor: pred, Successor: succ, Record: []byte("record " + pred + " " + succ),
		Signature: []byte("sig"), Time: at(minutes)}
}

func linkTx(db store.DB, l store.Link) (store.Link, error) {
	var got store.Link
	err := db.Tx(ctx, func(tx store.Tx) (err error) {
		got, err = tx.Link(ctx, l)
		return err
	})
	return got, err
}

func testLinks(t *testing.T, db store.DB) {
	setup(t, db, cert("o1", 1, "did:a"), cert("o1", 2, "did:b"), cert("o1", 3, "did:c"), cert("o1", 4, "did:d"))
	_, err := linkTx(db, link("did:a", "did:b", 20))
	wantErr(t, err, store.ErrNotFound) // no history yet
	for i, d := range []string{"did:a", "did:b", "did:c", "did:d"} {
		event(t, db, store.EventIssued, d, int64(i+1), at(10))
	}
	second := link("did:a", "did:b", 20)
	second.SuccessorSignature = []byte("sig2")
	got, err := linkTx(db, second)
	if err != nil || got.PredecessorVersion != 2 || got.SuccessorVersion != 2 || !got.Time.Equal(micro(at(20))) {
		t.Fatalf("Link = %+v, %v; want versions 2 and 2 at %v", got, err, at(20))
	}
	for _, d := range []string{"did:a", "did:b"} {
		evs, err := db.Events(ctx, d)
		if err != nil || len(evs) != 2 || evs[1].Kind != store.EventLinked || evs[1].Serial != nil {
			t.Errorf("Events(%s) = %+v, %v; want a linked version 2", d, evs, err)
		}
		links, err := db.Links(ctx, d)
		if err != nil || len(links) != 1 || links[0].Predecessor != "did:a" || links[0].Successor != "did:b" ||
			!bytes.Equal(links[0].Record, second.Record) || !bytes.Equal(links[0].Signature, second.Signature) ||
			!bytes.Equal(links[0].SuccessorSignature, second.SuccessorSignature) || links[0].SuccessorVersion != 2 {
			t.Errorf("Links(%s) = %+v, %v; want the link", d, links, err)
		}
	}
	if links, err := db.Links(ctx, "did:c"); err != nil || len(links) != 0 {
		t.Errorf("Links(did:c) = %+v, %v; want none", links, err)
	}
	if _, err := linkTx(db, link("did:b", "did:c", 30)); err != nil { // a chain a → b → c
		t.Fatalf("Link b → c: %v", err)
	}
	if links, err := db.Links(ctx, "did:c"); err != nil || len(links) != 1 || len(links[0].SuccessorSignature) != 0 {
		t.Errorf("Links(did:c) = %+v, %v; want one with no second signature", links, err)
	}
	write(t, db, func(tx store.Tx) error { _, err := tx.Deactivate(ctx, "did:d", at(40)); return err })

	bad := []struct {
		name string
		l    store.Link
		want error
	}{
		{"self", link("did:c", "did:c", 50), store.ErrInvalid},
		{"second successor", link("did:a", "did:c", 50), store.ErrConflict},
		{"second predecessor", link("did:c", "did:b", 50), store.ErrConflict},
		{"cycle", link("did:c", "did:a", 50), store.ErrConflict},
		{"deactivated predecessor", link("did:d", "did:c", 50), store.ErrDeactivated},
		{"deactivated successor", link("did:c", "did:d", 50), store.ErrDeactivated},
		{"unknown successor", link("did:c", "did:z", 50), store.ErrNotFound},
		{"no signature", store.Link{Predecessor: "did:c", Successor: "did:z", Record: []byte("r"), Time: t0}, store.ErrInvalid},
		{"no record", store.Link{Predecessor: "did:c", Successor: "did:z", Signature: []byte("s"), Time: t0}, store.ErrInvalid},
		{"record too large", store.Link{Predecessor: "did:c", Successor: "did:z", Signature: []byte("s"), Time: t0,
			Record: make([]byte, store.MaxLinkRecordLen+1)}, store.ErrInvalid},
		{"signature too large", store.Link{Predecessor: "did:c", Successor: "did:z", Record: []byte("r"), Time: t0,
			Signature: make([]byte, store.MaxLinkSignatureLen+1)}, store.ErrInvalid},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := linkTx(db, tc.l)
			wantErr(t, err, tc.want)
		})
	}
	if s, err := db.DID(ctx, "did:c"); err != nil || s.Version != 2 {
		t.Errorf("DID(did:c) = %+v, %v; want version 2: refused links add no version", s, err)
	}
	err = db.Tx(ctx, func(tx store.Tx) error {
		_, err := tx.AppendEvent(ctx, store.Event{DID: "did:c", Kind: store.EventLinked, Time: t0})
		return err
	})
	wantErr(t, err, store.ErrInvalid)
	testLinkTime(t, db)
}

// testLinkTime links a DID to one whose latest version is later than the link's
// time: the link and both its versions get that later time.
func testLinkTime(t *testing.T, db store.DB) {
	write(t, db, func(tx store.Tx) error {
		for i, d := range []string{"did:e", "did:f"} {
			if err := tx.PutCertificate(ctx, cert("o1", int64(5+i), d)); err != nil {
				return err
			}
		}
		return nil
	})
	event(t, db, store.EventIssued, "did:e", 5, at(10))
	event(t, db, store.EventIssued, "did:f", 6, at(60))
	got, err := linkTx(db, link("did:e", "did:f", 30))
	if err != nil || !got.Time.Equal(micro(at(60))) {
		t.Fatalf("Link e → f = %+v, %v; want the time of f's latest version, %v", got, err, micro(at(60)))
	}
	for _, d := range []string{"did:e", "did:f"} {
		evs, err := db.Events(ctx, d)
		if err != nil || len(evs) != 2 || !evs[1].Time.Equal(got.Time) {
			t.Errorf("Events(%s) = %+v, %v; want a linked version at %v", d, evs, err, got.Time)
		}
	}
	if links, err := db.Links(ctx, "did:f"); err != nil || len(links) != 1 || !links[0].Time.Equal(got.Time) {
		t.Errorf("Links(did:f) = %+v, %v; want one at %v", links, err, got.Time)
	}
}

// RaceLinks races links that would close a cycle, from goroutines spread over
// dbs (replicas sharing one database, or stores on one SQLite file). In each of
// rounds rounds it makes four DIDs a, b, c, d and starts at once either a → b
// and b → a (even rounds), or, after linking b → c and d → a, a → b and c → d
// (odd rounds: links with no DID in common that close a cycle together). One must
// succeed, the other fail with ErrConflict, and the stored links must form no
// cycle.
func RaceLinks(t *testing.T, dbs []store.DB, rounds int) {
	setup(t, dbs[0])
	for r := range rounds {
		d := raceDIDs(t, dbs[0], r)
		pairs := [][2]string{{d[0], d[1]}, {d[1], d[0]}}
		if r%2 == 1 {
			for _, p := range [][2]string{{d[1], d[2]}, {d[3], d[0]}} {
				if _, err := linkTx(dbs[0], link(p[0], p[1], 15)); err != nil {
					t.Fatal(err)
				}
			}
			pairs = [][2]string{{d[0], d[1]}, {d[2], d[3]}}
		}
		errs := make([]error, len(pairs))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, p := range pairs {
			wg.Go(func() {
				<-start
				_, errs[i] = linkTx(dbs[i%len(dbs)], link(p[0], p[1], 20))
			})
		}
		close(start)
		wg.Wait()
		failed := 0
		for i, err := range errs {
			switch {
			case err == nil:
			case errors.Is(err, store.ErrConflict):
				failed++
			default:
				t.Fatalf("round %d: link %v: %v", r, pairs[i], err)
			}
		}
		if failed != 1 {
			t.Fatalf("round %d: links %v returned %v; want exactly one refused", r, pairs, errs)
		}
		checkAcyclic(t, dbs[0], d)
	}
}

// raceDIDs records four DIDs with a history for round r.
func raceDIDs(t *testing.T, db store.DB, r int) []string {
	var d []string
	write(t, db, func(tx store.Tx) error {
		for i := range 4 {
			did, serial := fmt.Sprintf("did:race-link:%d:%d", r, i), big.NewInt(int64(1000+4*r+i))
			d = append(d, did)
			c := cert("o1", serial.Int64(), did)
			if err := tx.PutCertificate(ctx, c); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, store.Event{DID: did, Kind: store.EventIssued, Time: at(10),
				IssuerID: "o1", Serial: serial}); err != nil {
				return err
			}
		}
		return nil
	})
	return d
}

// checkAcyclic follows the successors from each of dids: none may come back.
func checkAcyclic(t *testing.T, db store.DB, dids []string) {
	t.Helper()
	for _, start := range dids {
		d := start
		for range len(dids) {
			links, err := db.Links(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			next := ""
			for _, l := range links {
				if l.Predecessor == d {
					next = l.Successor
				}
			}
			if next == "" {
				break
			}
			if next == start {
				t.Fatalf("the stored links close a cycle through %s", start)
			}
			d = next
		}
	}
}
