package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/tlog"
)

// auditTamperSize is not a power of two, so every stored hash is in some inclusion
// proof and every tampering of the hashes is observable.
const auditTamperSize = 13

// sqlTampering changes the database directly (do) and puts it back (undo).
// want is the verifier's finding at index, or, when export is set, the error
// the log's own export fails with.
type sqlTampering struct {
	name     string
	do, undo []rawStmt
	want     error
	index    uint64
	export   bool
}

type rawStmt struct {
	q    string
	args []any
}

func raw(q string, args ...any) rawStmt { return rawStmt{q, args} }

// honestLog is what the test log holds before any tampering.
type honestLog struct {
	data   memstore.Data // the same log as memstore holds it
	bundle *verify.Bundle
}

// testAuditTampering logs 13 entries (signing at 8 and 13), drops the WORM
// triggers as an attacker with the owner's rights would, and then changes,
// deletes or reorders every single stored entry, hash and checkpoint in turn:
// the log's export and audit/verify must detect 100% of them, at the right index.
func testAuditTampering(t *testing.T, b AuditBackend) {
	dsn := b.New(t)
	db := auditDB(t, b, dsn)
	appendLogged(t, db, 0, 8, true)
	appendLogged(t, db, 8, auditTamperSize-8, true)
	h := readHonest(t, db)
	state, err := auditVerifier(t).Verify(verify.State{}, h.bundle)
	if err != nil {
		t.Fatalf("honest log: %v", err)
	}
	tamperDirectly(t, b, dsn, func(func(string, ...any)) {})
	cases := append(entryTamperings(h), hashTamperings(t, h)...)
	cases = append(cases, checkpointTamperings(h)...)
	detected := 0
	for _, tc := range cases {
		execAll(t, b, dsn, tc.do)
		if tamperLocated(t, tc, db, state) {
			detected++
		}
		execAll(t, b, dsn, tc.undo)
	}
	if _, _, err := verifyAuditLog(t, db); err != nil {
		t.Fatalf("log after undoing every tampering: %v", err)
	}
	checkLeafIndexTampering(t, b, dsn, db, h)
	if detected != len(cases) {
		t.Fatalf("located %d of %d tamperings", detected, len(cases))
	}
	t.Logf("located all %d tamperings", len(cases))
}

func execAll(t *testing.T, b AuditBackend, dsn string, stmts []rawStmt) {
	t.Helper()
	for _, s := range stmts {
		if err := b.Exec(t, dsn, s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
}

// located exports the tampered log and verifies it against the auditor's
// state (the honest checkpoint), and reports whether the finding is tc's.
func tamperLocated(t *testing.T, tc sqlTampering, db store.AuditDB, state verify.State) bool {
	t.Helper()
	b, err := auditCheckpointer(t, 1).Export(context.Background(), db, audit.ExportRequest{})
	if err == nil && !tc.export {
		_, err = auditVerifier(t).Verify(state, b)
		var te *verify.TamperError
		if errors.Is(err, tc.want) && errors.As(err, &te) && te.Index == tc.index {
			return true
		}
	}
	var missing *store.MissingHashError
	if tc.export && errors.Is(err, tc.want) &&
		(!errors.As(err, &missing) || uint64(missing.StorageIndex) == tc.index) {
		return true
	}
	t.Errorf("%s: error %v, want %v at index %d", tc.name, err, tc.want, tc.index)
	return false
}

func readHonest(t *testing.T, db store.AuditDB) honestLog {
	t.Helper()
	ctx := context.Background()
	state, bundle, err := verifyAuditLog(t, db)
	if err != nil || state.Size() != auditTamperSize {
		t.Fatalf("honest log: size %d, %v", state.Size(), err)
	}
	d := memstore.Data{Checkpoint: []byte(bundle.Checkpoint)}
	for i, e := range bundle.Entries {
		d.Entries = append(d.Entries, e.Entry)
		d.Subjects = append(d.Subjects, auditEntry(int64(i)).Subject)
	}
	all := make([]int64, tlog.StoredHashCount(auditTamperSize))
	for i := range all {
		all[i] = int64(i)
	}
	if d.Hashes, err = db.ReadHashes(ctx, all); err != nil {
		t.Fatal(err)
	}
	return honestLog{data: d, bundle: bundle}
}

func entryTamperings(h honestLog) []sqlTampering {
	var out []sqlTampering
	const parked = 1 << 40 // an index outside the tree, to swap rows through
	swap := func(i, k int) []rawStmt {
		return []rawStmt{raw(`UPDATE audit_entries SET idx = $1 WHERE idx = $2`, parked, i),
			raw(`UPDATE audit_entries SET idx = $1 WHERE idx = $2`, i, k),
			raw(`UPDATE audit_entries SET idx = $1 WHERE idx = $2`, k, parked)}
	}
	for i, e := range h.data.Entries {
		changed := bytes.Clone(e)
		changed[(7*i+3)%len(e)] ^= 1
		restore := raw(`UPDATE audit_entries SET entry = $1 WHERE idx = $2`, e, i)
		out = append(out, sqlTampering{name: fmt.Sprintf("entry %d changed", i),
			do:   []rawStmt{raw(`UPDATE audit_entries SET entry = $1 WHERE idx = $2`, changed, i)},
			undo: []rawStmt{restore}, want: verify.ErrChangedEntry, index: uint64(i)})
		leaf := audit.LeafHash(e)
		out = append(out, sqlTampering{name: fmt.Sprintf("entry %d deleted", i),
			do: []rawStmt{raw(`DELETE FROM audit_entries WHERE idx = $1`, i)},
			undo: []rawStmt{raw(`INSERT INTO audit_entries (idx, entry, leaf_hash, subject) VALUES ($1, $2, $3, $4)`,
				i, e, leaf[:], h.data.Subjects[i])},
			want: verify.ErrMissingEntry, index: uint64(i)})
		for k := i + 1; k < len(h.data.Entries); k++ {
			out = append(out, sqlTampering{name: fmt.Sprintf("entries %d and %d swapped", i, k),
				do: swap(i, k), undo: swap(i, k), want: verify.ErrReordered, index: uint64(i)})
		}
	}
	return out
}

func hashTamperings(t *testing.T, h honestLog) []sqlTampering {
	var out []sqlTampering
	set := func(x int, v tlog.Hash) rawStmt {
		return raw(`UPDATE audit_hashes SET hash = $1 WHERE storage_idx = $2`, v[:], x)
	}
	for x, v := range h.data.Hashes {
		changed := v
		changed[x%tlog.HashSize] ^= 0x80
		level, n := tlog.SplitStoredHashIndex(int64(x))
		tc := sqlTampering{name: fmt.Sprintf("hash level %d node %d changed", level, n),
			do: []rawStmt{set(x, changed)}, undo: []rawStmt{set(x, v)}}
		tc.index, tc.want = referenceFinding(t, h, map[int]tlog.Hash{x: changed})
		out = append(out, tc, sqlTampering{name: fmt.Sprintf("hash level %d node %d deleted", level, n),
			do:   []rawStmt{raw(`DELETE FROM audit_hashes WHERE storage_idx = $1`, x)},
			undo: []rawStmt{raw(`INSERT INTO audit_hashes (storage_idx, hash) VALUES ($1, $2)`, x, v[:])},
			want: store.ErrNotFound, index: uint64(x), export: true})
		if y := x + 1; y < len(h.data.Hashes) {
			w := h.data.Hashes[y]
			tc := sqlTampering{name: fmt.Sprintf("hashes %d and %d swapped", x, y),
				do: []rawStmt{set(x, w), set(y, v)}, undo: []rawStmt{set(x, v), set(y, w)}}
			tc.index, tc.want = referenceFinding(t, h, map[int]tlog.Hash{x: w, y: v})
			out = append(out, tc)
		}
	}
	return out
}

// referenceFinding applies the same change of stored hashes to audit/memstore,
// the reference store, exports and verifies it, and returns what audit/verify
// reports there: the SQL store must be located identically. A changed leaf
// hash reads as a changed or reordered entry, an interior one as ErrBadHash.
func referenceFinding(t *testing.T, h honestLog, change map[int]tlog.Hash) (index uint64, kind error) {
	t.Helper()
	d := memstore.Load(h.data).Data()
	for x, v := range change {
		d.Hashes[x] = v
	}
	b, err := auditCheckpointer(t, 1).Export(context.Background(), memstore.Load(d), audit.ExportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = auditVerifier(t).Verify(verify.State{}, b)
	var te *verify.TamperError
	if !errors.As(err, &te) {
		t.Fatalf("changing hashes %v is not located in memstore either: %v", change, err)
	}
	return te.Index, te.Kind
}

// checkpointTamperings change or remove the latest checkpoint: the log refuses
// to export under a note that does not verify, and an auditor who saw the
// latest one detects the rollback to the one before.
func checkpointTamperings(h honestLog) []sqlTampering {
	latest := []byte(h.bundle.Checkpoint)
	changed := bytes.Replace(latest, []byte(fmt.Sprintf("\n%d\n", auditTamperSize)),
		[]byte(fmt.Sprintf("\n%d\n", auditTamperSize+1)), 1) // the size line
	const seq = `(SELECT MAX(seq) FROM audit_checkpoints)`
	return []sqlTampering{
		{name: "latest checkpoint changed",
			do:   []rawStmt{raw(`UPDATE audit_checkpoints SET note = $1 WHERE seq = `+seq, changed)},
			undo: []rawStmt{raw(`UPDATE audit_checkpoints SET note = $1 WHERE seq = `+seq, latest)},
			want: audit.ErrBadSignature, export: true},
		{name: "latest checkpoint deleted",
			do:   []rawStmt{raw(`DELETE FROM audit_checkpoints WHERE seq = ` + seq)},
			undo: []rawStmt{raw(`INSERT INTO audit_checkpoints (size, note) VALUES ($1, $2)`, auditTamperSize, latest)},
			want: verify.ErrRollback, index: auditTamperSize},
	}
}

// checkLeafIndexTampering points the leaf_hash index of entry 3 at entry 5's
// hash: IndexByLeafHash must not answer 3 for entry 5 (it hashes the entry it
// found again), and entry 5 stays findable by no other index.
func checkLeafIndexTampering(t *testing.T, b AuditBackend, dsn string, db store.AuditDB, h honestLog) {
	t.Helper()
	leaf5 := audit.LeafHash(h.data.Entries[5])
	leaf3 := audit.LeafHash(h.data.Entries[3])
	execAll(t, b, dsn, []rawStmt{raw(`UPDATE audit_entries SET leaf_hash = $1 WHERE idx = 3`, leaf5[:])})
	i, err := db.IndexByLeafHash(context.Background(), leaf5)
	if !errors.Is(err, audit.ErrNotFound) {
		t.Errorf("IndexByLeafHash through a tampered index = %d, %v; want audit.ErrNotFound", i, err)
	}
	execAll(t, b, dsn, []rawStmt{raw(`UPDATE audit_entries SET leaf_hash = $1 WHERE idx = 3`, leaf3[:])})
	if i, err := db.IndexByLeafHash(context.Background(), leaf5); err != nil || i != 5 {
		t.Errorf("IndexByLeafHash after the repair = %d, %v; want 5", i, err)
	}
}
