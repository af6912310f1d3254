package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/store"
)

// auditHelperEnv carries the DSN to the re-executed test binary that appends
// until killed.
const auditHelperEnv = "KAKUNIN_STORETEST_AUDIT_DSN"

// AuditDurability kill-tests a backend's audit log, as [Durability] does the
// registry. The helper process appends entries from several goroutines, each
// with the certificate it records in the same transaction (serial = index+1),
// signs checkpoints meanwhile, and prints every acknowledged index and signed
// size; it is killed with SIGKILL at a random moment, several rounds. After
// each round every acknowledged entry must be stored, the indexes must have no
// gap, entries and certificates must match one to one, and the tree must
// extend the last signed checkpoint and hash to a newly signed one.
func AuditDurability(t *testing.T, b AuditBackend) {
	if dsn := os.Getenv(auditHelperEnv); dsn != "" {
		appendUntilKilled(t, auditDB(t, b, dsn))
		return
	}
	dsn := b.New(t)
	var acked, signed uint64
	for r := range 4 {
		a, s := killAuditRound(t, dsn, 5+rand.IntN(60))
		acked, signed = max(acked, a), max(signed, s)
		db := auditDB(t, b, dsn)
		size := checkRecovered(t, db, acked, signed)
		t.Logf("round %d: %d entries stored, highest acknowledged %d, signed %d", r, size, acked, signed)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if acked == 0 {
		t.Fatal("the helper acknowledged no append")
	}
}

// killAuditRound runs the helper until it acknowledged about n appends, kills
// it, and returns one more than the highest acknowledged index and the
// largest acknowledged checkpoint size.
func killAuditRound(t *testing.T, dsn string, n int) (acked, signed uint64) {
	KillHelper(t, auditHelperEnv, dsn, n, func(line string) bool {
		kind, v, _ := strings.Cut(line, " ")
		if kind != "ack" && kind != "signed" {
			return false
		}
		x, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("helper printed %q", line)
		}
		if kind == "signed" {
			signed = max(signed, x)
			return false
		}
		acked = max(acked, x+1)
		return true
	})
	return acked, signed
}

// checkRecovered checks the log after a kill and returns its size.
func checkRecovered(t *testing.T, db store.AuditDB, acked, signed uint64) uint64 {
	ctx := context.Background()
	entries, err := db.EntriesRange(ctx, 0, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	size := uint64(len(entries))
	for i, e := range entries {
		if e.Index != uint64(i) {
			t.Fatalf("entry %d has index %d: want no gaps", i, e.Index)
		}
	}
	if size < acked {
		t.Fatalf("%d entries stored, but index %d was acknowledged", size, acked-1)
	}
	for i := range size + 1 {
		_, err := db.Certificate(ctx, "o1", auditSerial(int64(i+1)))
		if (err == nil) != (i < size) {
			t.Fatalf("certificate %d: %v, with %d entries: entry and certificate did not commit together",
				i+1, err, size)
		}
	}
	note := signLog(t, db, auditCheckpointer(t, 1)) // refuses a tree inconsistent with the last checkpoint
	cp, err := auditVerifier(t).Open(note)
	if err != nil || cp.Size != size || size < signed {
		t.Fatalf("checkpoint of size %d (%v) for %d entries, %d signed before", cp.Size, err, size, signed)
	}
	if size <= verify.MaxBundleEntries {
		if _, _, err := verifyAuditLog(t, db); err != nil {
			t.Fatalf("the recovered log does not verify: %v", err)
		}
	}
	return size
}

// appendUntilKilled is the helper: 8 goroutines append entries, each with its
// certificate (serial = index+1) in the same transaction, and print each
// acknowledged index; another signs checkpoints and prints their sizes. It
// stops by itself after a few seconds in case nobody kills it.
func appendUntilKilled(t *testing.T, db store.DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	report := func(kind string, x uint64) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, "%s %d\n", kind, x)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := int64(g); ctx.Err() == nil; n += 8 {
				idx, err := appendWithCert(ctx, db, n)
				if err != nil {
					return
				}
				report("ack", idx)
			}
		})
	}
	wg.Go(func() {
		for ctx.Err() == nil {
			note, err := trySign(db, auditCheckpointer(t, 1))
			if err != nil {
				return
			}
			if cp, err := auditVerifier(t).Open(note); err == nil {
				report("signed", cp.Size)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	wg.Wait()
}

func appendWithCert(ctx context.Context, db store.DB, n int64) (uint64, error) {
	var idx uint64
	err := db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		if idx, err = audit.Append(ctx, atx, auditEntry(n)); err != nil {
			return err
		}
		return tx.PutCertificate(ctx, cert("o1", int64(idx)+1, auditEntry(n).Subject))
	})
	return idx, err
}
