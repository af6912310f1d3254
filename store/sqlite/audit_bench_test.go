package sqlite_test

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
	"golang.org/x/mod/sumdb/tlog"
)

func BenchmarkAuditAppends(b *testing.B) {
	storetest.BenchmarkAuditAppends(b, func(b *testing.B, maxBatch int) store.DB {
		path := filepath.Join(b.TempDir(), "bench.db")
		db, err := sqlite.Open(context.Background(), path, sqlite.Options{MaxBatch: maxBatch})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}

// benchKey is a fixed log key for the benchmark's checkpoint.
var benchKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))

// bigLog is the size of the log BenchmarkAudit1M reads proofs from.
const bigLog = 1_000_000

// BenchmarkAudit1M builds a log of a million entries by bulk insert (its
// hashes computed in memory, as audit.Append would), signs it through the
// store, and measures proofs read from SQL.
func BenchmarkAudit1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.db")
	start := time.Now()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if err := bulkLog(path, bigLog); err != nil {
		b.Fatal(err)
	}
	db, err = sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	checkpointer, err := audit.NewCheckpointer("kakunin.test/audit", benchKey)
	if err != nil {
		b.Fatal(err)
	}
	err = db.Tx(context.Background(), func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err == nil {
			_, err = checkpointer.Sign(context.Background(), atx)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built and signed a log of %d entries in %v", bigLog, time.Since(start).Round(time.Second))
	storetest.BenchmarkAuditProofs(b, db.(store.AuditDB), bigLog)
}

// bulkLog appends n entries to the empty log at path in one transaction, with
// multi-row inserts, computing the stored hashes in memory.
func bulkLog(path string, n int) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	hashes := make([]tlog.Hash, 0, 2*n)
	read := tlog.HashReaderFunc(func(xs []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(xs))
		for i, x := range xs {
			out[i] = hashes[x]
		}
		return out, nil
	})
	entries := newRowWriter(tx, "audit_entries (idx, entry, leaf_hash, subject)", 4)
	stored := newRowWriter(tx, "audit_hashes (storage_idx, hash)", 2)
	for i := range n {
		e := audit.Entry{Type: audit.CertIssued, Time: time.Unix(int64(i), 0), Actor: "system", Tenant: "t",
			Subject: fmt.Sprintf("did:kakunin:agent%d", i%1000), Digest: audit.SHA256([]byte(fmt.Sprint(i)))}
		data, err := e.Encode()
		if err != nil {
			return err
		}
		hs, err := tlog.StoredHashes(int64(i), data, read)
		if err != nil {
			return err
		}
		if err := entries.add(int64(i), data, hs[0][:], e.Subject); err != nil {
			return err
		}
		for k := range hs {
			if err := stored.add(int64(len(hashes)), hs[k][:]); err != nil {
				return err
			}
			hashes = append(hashes, hs[k])
		}
	}
	if err := errors.Join(entries.flush(), stored.flush()); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE audit_tree SET size = $1`, n); err != nil {
		return err
	}
	return tx.Commit()
}

// rowWriter inserts rows into a table 256 at a time.
type rowWriter struct {
	tx    *sql.Tx
	table string
	cols  int
	args  []any
}

const rowsPerInsert = 256

func newRowWriter(tx *sql.Tx, table string, cols int) *rowWriter {
	return &rowWriter{tx: tx, table: table, cols: cols}
}

func (w *rowWriter) add(values ...any) error {
	w.args = append(w.args, values...)
	if len(w.args) == rowsPerInsert*w.cols {
		return w.flush()
	}
	return nil
}

func (w *rowWriter) flush() error {
	if len(w.args) == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", w.cols), ", ") + ")"
	rows := strings.TrimSuffix(strings.Repeat(row+", ", len(w.args)/w.cols), ", ")
	_, err := w.tx.Exec("INSERT INTO "+w.table+" VALUES "+rows, w.args...)
	w.args = w.args[:0]
	return err
}
