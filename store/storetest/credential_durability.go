package storetest

import (
	"bytes"
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

// IssuanceDurability kill-tests issuance atomicity with reserved status
// indexes. Like [Durability], it runs the calling test again as a helper
// process whose goroutines each reserve blocks of reserveBlock revocation and
// suspension indexes (from lists of capacity 50, so that lists and blocks also
// roll over), issue credentials each bound to one index of each block with
// HoldCredential in its own transaction, and print each acknowledged credential
// id; the test kills it with SIGKILL at random moments. After every round each
// acknowledged credential must be stored with exactly its two entries, no index
// may belong to two credentials, and every allocated index that no credential
// holds must be a reservation the helpers held when they were killed: unbound
// (each list's Allocated is at least the entries bound in it, and the rest are
// at most the blocks the killed helpers could hold) with value 0.
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
		n := checkIssued(t, db, acked, (r+1)*issuers*2*reserveBlock)
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
// ids and returns how many credentials are stored. At most maxReserved indexes
// may be allocated and unbound.
func checkIssued(t *testing.T, db store.DB, acked map[string]bool, maxReserved int) int {
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
	if reserved := checkLists(t, db, bound); reserved > maxReserved {
		t.Errorf("%d indexes allocated to no credential; the killed helpers held at most %d", reserved, maxReserved)
	}
	return len(creds)
}

// checkLists checks that each list has at least the entries bound in it
// allocated and no entry set, and returns how many allocated entries are
// bound to no credential.
func checkLists(t *testing.T, db store.DB, bound map[string]int) int {
	lists, err := statusReader(t, db).StatusLists(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	unbound := 0
	for _, l := range lists {
		if l.Allocated < bound[l.ID] {
			t.Errorf("list %s (seq %d) has %d indexes allocated but %d bound to credentials",
				l.ID, l.Seq, l.Allocated, bound[l.ID])
		}
		unbound += l.Allocated - bound[l.ID]
		full, err := statusReader(t, db).StatusList(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(full.Bits.Bytes(), make([]byte, len(full.Bits.Bytes()))) {
			t.Errorf("list %s has entries set; reserved and issued entries start at 0", l.ID)
		}
	}
	return unbound
}

// issuanceRound starts the helper, kills it after about n acknowledgements (and
// a random few milliseconds more) and returns the acknowledged ids.
func issuanceRound(t *testing.T, dsn string, n int) []string {
	var acked []string
	KillHelper(t, issuanceEnv, dsn, n, func(line string) bool {
		id, ok := strings.CutPrefix(line, "ack ")
		if ok {
			acked = append(acked, id)
		}
		return ok
	})
	return acked
}

// Shape of the helper: issuers goroutines, each holding a block of
// reserveBlock indexes of each purpose at a time.
const (
	issuers      = 8
	reserveBlock = 8
)

// issueUntilKilled is the helper: goroutines issue credentials with reserved
// indexes, printing each acknowledged id. Ids carry the process id, so rounds
// do not collide. It stops by itself after a few seconds in case nobody kills
// it.
func issueUntilKilled(t *testing.T, db store.DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	specs := []store.StatusListSpec{spec(status.Revocation, 50), spec(status.Suspension, 50)}
	for range issuers {
		wg.Go(func() {
			blocks := make([][]store.StatusEntry, len(specs))
			for ctx.Err() == nil {
				id := fmt.Sprintf("p%d-%d", os.Getpid(), next.Add(1))
				c, err := reservedCredential(db, id, specs, blocks)
				if err != nil || hold(db, c) != nil {
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

// reservedCredential returns credential id with an entry of each spec taken
// from blocks, reserving a new block where one is used up.
func reservedCredential(db store.DB, id string, specs []store.StatusListSpec,
	blocks [][]store.StatusEntry) (store.Credential, error) {
	c := credential(id, durableSubject)
	for i, s := range specs {
		if len(blocks[i]) == 0 {
			b, err := reserve(db, s, reserveBlock)
			if err != nil {
				return c, err
			}
			blocks[i] = b
		}
		n := len(blocks[i]) - 1
		c.Status = append(c.Status, blocks[i][n])
		blocks[i] = blocks[i][:n]
	}
	return c, nil
}
