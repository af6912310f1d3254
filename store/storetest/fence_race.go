package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// RaceFence races issuances against the cascade that fences their subject, from
// goroutines spread over dbs (replicas sharing one database, or stores on one
// SQLite file). In each of rounds rounds, 8 goroutines hold credentials
// filed under did as their second subject and checked at its generation 0 (as
// issuances whose policy checks ran before the cascade), until one transaction
// has raised did's fence and read did's credentials, and once more after that. Every credential filed under did that is stored must be one
// that read found (none escapes the cascade), every acknowledged one must be
// stored, an issuance may fail only with ErrSubjectChanged, and none begun
// after the cascade committed may succeed.
func RaceFence(t *testing.T, dbs []store.DB, rounds int) {
	const maxHeldBeforeFence = 64 // per goroutine and round
	for r := range rounds {
		did := fmt.Sprintf("did:race:%d", r)
		var cascaded atomic.Bool
		var mu sync.Mutex
		var acked []string
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				for n := 0; ; n++ {
					after := cascaded.Load()
					if !after && n >= maxHeldBeforeFence {
						// Enough issuances raced this round's cascade; waiting for it rather
						// than writing on keeps a store on the same SQLite file, whose write
						// lock is not handed out fairly, from being starved past its busy
						// timeout.
						time.Sleep(time.Millisecond)
						n--
						continue
					}
					id := fmt.Sprintf("r%d-i%d-%d", r, i, n)
					err := hold(dbs[i%len(dbs)], filed(id, "did:first", did))
					switch {
					case err == nil && after:
						t.Errorf("%s, checked before the fence and begun after the cascade, was recorded", id)
					case err == nil:
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
					case !errors.Is(err, store.ErrSubjectChanged):
						t.Errorf("holding %s: %v", id, err)
						return
					}
					if after {
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
		seen, err := cascade(dbs[r%len(dbs)], did, at(10))
		cascaded.Store(true)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		checkFenced(t, dbs[0], did, seen, acked)
	}
}

// cascade raises did's fence to at and reads its credentials in one
// transaction, as the issuer's SuspendAllForDID does, and returns their ids.
func cascade(db store.DB, did string, at time.Time) (map[string]bool, error) {
	var seen map[string]bool
	err := db.Tx(ctx, func(tx store.Tx) error {
		seen = map[string]bool{}
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		if err := ct.FenceSubject(ctx, did, at); err != nil {
			return err
		}
		got, err := ct.CredentialsBySubject(ctx, did)
		for _, c := range got {
			seen[c.ID] = true
		}
		return err
	})
	return seen, err
}

// checkFenced checks that the credentials stored under did are those the
// cascade saw, and include every acknowledged one.
func checkFenced(t *testing.T, db store.DB, did string, seen map[string]bool, acked []string) {
	t.Helper()
	stored, err := credReader(t, db).CredentialsBySubject(ctx, did)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range stored {
		have[c.ID] = true
		if !seen[c.ID] {
			t.Errorf("credential %s of %s, checked before the fence, escaped the cascade", c.ID, did)
		}
	}
	for _, id := range acked {
		if !have[id] {
			t.Errorf("acknowledged credential %s is not stored", id)
		}
	}
	t.Logf("%s: %d credentials recorded before the cascade, all seen by it", did, len(stored))
}
