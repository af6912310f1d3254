package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// issuanceEnv carries the DSN to the re-executed test binary that issues until killed.
const issuanceEnv = "KAKUNIN_STORETEST_ISSUANCE_DSN"

// durableSubject is the agent every credential of the kill test is issued to.
const durableSubject = "did:kakunin:issuance"

// IssuanceDurability kill-tests issuance atomicity. Like [Durability], it runs
// the calling test again as a helper process that issues credentials from
// several goroutines (each with a revocation and a suspension index, from lists
// of capacity 50 so that lists also roll over) and prints each acknowledged
// credential id; the test kills it with SIGKILL at random moments. After every
// round each acknowledged credential must be stored with both entries, no index
// may belong to two credentials, and every allocated index must belong to a
// credential: each list's Allocated count equals the credentials' entries in it.
func IssuanceDurability(t *testing.T, newDSN func(t *testing.T) string, open func(t *testing.T, dsn string) store.DB) {
	if dsn := os.Getenv(issuanceEnv); dsn != "" {
		issueUntilKilled(t, open(t, dsn))
		return
	}
	dsn := newDSN(t)
	acked := map[string]bool{}
	for r := range 4 {
		for _, id := range issuanceRound(t, dsn, 5+rand.IntN(60)) {
			acked[id] = true
		}
		db := open(t, dsn)
		n := checkIssued(t, db, acked)
		t.Logf("round %d: %d credentials acknowledged in all, %d stored", r, len(acked), n)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(acked) == 0 {
		t.Fatal("the helper acknowledged no issuance")
	}
}

// checkIssued checks the stored credentials and lists against the acknowledged
// ids and returns how many credentials are stored.
func checkIssued(t *testing.T, db store.DB, acked map[string]bool) int {
	creds, err := credReader(t, db).CredentialsBySubject(ctx, durableSubject)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	bound := map[string]int{}
	seen := map[store.StatusEntry]string{}
	for _, c := range creds {
		stored[c.ID] = true
		if len(c.Status) != 2 || c.Status[0].Purpose != status.Revocation || c.Status[1].Purpose != status.Suspension {
			t.Errorf("credential %s has entries %+v, want a revocation and a suspension entry", c.ID, c.Status)
		}
		for _, e := range c.Status {
			if other, dup := seen[e]; dup {
				t.Errorf("index %d of list %s belongs to %s and %s", e.Index, e.ListID, other, c.ID)
			}
			seen[e] = c.ID
			bound[e.ListID]++
		}
	}
	for id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged credential %s is lost", id)
		}
	}
	lists, err := statusReader(t, db).StatusLists(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		if l.Allocated != bound[l.ID] {
			t.Errorf("list %s (seq %d) has %d indexes allocated but %d bound to credentials",
				l.ID, l.Seq, l.Allocated, bound[l.ID])
		}
	}
	return len(creds)
}

// issuanceRound starts the helper, kills it after about n acknowledgements (and
// a random few milliseconds more) and returns the acknowledged ids.
func issuanceRound(t *testing.T, dsn string, n int) []string {
	var acked []string
	killHelper(t, issuanceEnv, dsn, n, func(line string) bool {
		id, ok := strings.CutPrefix(line, "ack ")
		if ok {
			acked = append(acked, id)
		}
		return ok
	})
	return acked
}

// issueUntilKilled is the helper: 8 goroutines issue credentials, printing each
// acknowledged id. Ids carry the process id, so rounds do not collide. It stops
// by itself after a few seconds in case nobody kills it.
func issueUntilKilled(t *testing.T, db store.DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	specs := []store.StatusListSpec{spec(status.Revocation, 50), spec(status.Suspension, 50)}
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				id := fmt.Sprintf("p%d-%d", os.Getpid(), next.Add(1))
				if _, err := issue(db, id, durableSubject, nil, specs...); err != nil {
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %s\n", id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
