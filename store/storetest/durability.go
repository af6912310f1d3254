package storetest

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// helperEnv carries the DSN to the re-executed test binary that writes until killed.
const helperEnv = "KAKUNIN_STORETEST_DURABILITY_DSN"

// Durability kill-tests a backend. The test that calls it is run again as a helper
// process (the test binary re-executed with helperEnv set) that appends events from
// several goroutines and prints the versionId of each acknowledged commit; the test
// kills it with SIGKILL at a random moment, several rounds, and then requires every
// acknowledged event in the store, versionIds without gaps, and a store that opens.
//
// newDSN makes the database for the parent; open opens a DSN (in both processes)
// and closes it at the end of the test.
func Durability(t *testing.T, newDSN func(t *testing.T) string, open func(t *testing.T, dsn string) store.DB) {
	if dsn := os.Getenv(helperEnv); dsn != "" {
		writeUntilKilled(t, open(t, dsn))
		return
	}
	dsn := newDSN(t)
	acked := map[int64]bool{}
	for r := range 4 {
		round := killRound(t, dsn, 5+rand.IntN(60))
		for _, v := range round {
			acked[v] = true
		}
		db := open(t, dsn)
		evs, err := db.Events(context.Background(), durableDID)
		if err != nil {
			t.Fatalf("round %d: reading events after kill: %v", r, err)
		}
		stored := map[int64]bool{}
		for i, e := range evs {
			if e.VersionID != int64(i+1) {
				t.Fatalf("round %d: event %d has versionId %d; want no gaps", r, i, e.VersionID)
			}
			stored[e.VersionID] = true
		}
		for v := range acked {
			if !stored[v] {
				t.Errorf("round %d: acknowledged event %d is lost", r, v)
			}
		}
		t.Logf("round %d: %d writes acknowledged before SIGKILL, %d events stored in all", r, len(round), len(evs))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(acked) == 0 {
		t.Fatal("the helper acknowledged no write")
	}
}

const durableDID = "did:kakunin:durability"

// killRound starts the helper, kills it after it acknowledged about n writes
// (and a random few milliseconds more), and returns every versionId it acknowledged.
func killRound(t *testing.T, dsn string, n int) []int64 {
	var acked []int64
	KillHelper(t, helperEnv, dsn, n, func(line string) bool {
		v, ok := strings.CutPrefix(line, "ack ")
		if !ok {
			return false
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("helper printed %q", line)
		}
		acked = append(acked, id)
		return true
	})
	return acked
}

// writeUntilKilled is the helper: it records a certificate once, then appends
// events for it from several goroutines, printing each acknowledged versionId.
// It stops by itself after a few seconds in case nobody kills it.
func writeUntilKilled(t *testing.T, db store.DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	serial := big.NewInt(1)
	err := db.Tx(ctx, func(tx store.Tx) error {
		if _, err := tx.Owner(ctx, "o1"); err == nil {
			return nil
		}
		if err := tx.CreateOwner(ctx, owner("o1")); err != nil {
			return err
		}
		return tx.PutCertificate(ctx, store.Certificate{IssuerID: "o1", Serial: serial, DID: durableDID,
			DER: []byte("cert"), NotBefore: t0, NotAfter: at(60)})
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				var e store.Event
				err := db.Tx(ctx, func(tx store.Tx) (err error) {
					e, err = tx.AppendEvent(ctx, store.Event{DID: durableDID, Kind: store.EventPublished,
						Time: t0, IssuerID: "o1", Serial: serial})
					return err
				})
				if err != nil {
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %d\n", e.VersionID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
