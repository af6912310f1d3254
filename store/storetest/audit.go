package storetest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/store"
)

// AuditBackend gives the audit suite access to one backend's databases.
type AuditBackend struct {
	// New creates an empty database and returns its DSN (a path or a URL); it is
	// removed when the test ends.
	New func(t testing.TB) string
	// Open opens the store at dsn and closes it when the test ends.
	Open func(t testing.TB, dsn string) store.DB
	// Exec runs one statement on dsn directly, as the database owner, bypassing
	// the store. Placeholders are $1, $2, ….
	Exec func(t testing.TB, dsn, query string, args ...any) error
	// DropWORM lists the statements that remove the triggers making the log
	// append-only, as an attacker with the owner's rights would run them.
	DropWORM []string
	// Forbidden lists backend-specific statements (TRUNCATE, INSERT OR REPLACE, …)
	// that the log tables must refuse, besides the UPDATEs and DELETEs of RunAudit.
	Forbidden []string
}

// RunAudit runs the audit log suite: the SQL implementation of audit.Tx must
// behave as audit/memstore (the reference) does, roll back with its
// transaction, refuse to change logged rows, make every tampering visible to
// audit/verify, and stay one consistent tree when two stores share a database.
func RunAudit(t *testing.T, b AuditBackend) {
	tests := []struct {
		name string
		fn   func(*testing.T, AuditBackend)
	}{
		{"MatchesMemstore", testAuditMatchesMemstore},
		{"Queries", testAuditQueries},
		{"Atomicity", testAuditAtomicity},
		{"GroupCommitSplit", testAuditGroupCommitSplit},
		{"AppendLeafChecks", testAuditAppendLeafChecks},
		{"CheckpointsGrow", testAuditCheckpointsGrow},
		{"SignRefusesAfterRestart", testAuditSignRefusesAfterRestart},
		{"WORM", testAuditWORM},
		{"TamperingIsLocated", testAuditTampering},
		{"TwoStores", testAuditTwoStores},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, b)
		})
	}
}

// auditOrigin names the test log; the key is fixed so that signed notes are
// byte-for-byte comparable between stores.
const auditOrigin = "kakunin.test/audit"

func auditKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func auditCheckpointer(t testing.TB, seed byte) *audit.Checkpointer {
	t.Helper()
	c, err := audit.NewCheckpointer(auditOrigin, auditKey(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func auditVerifier(t testing.TB) *verify.Verifier {
	t.Helper()
	v, err := verify.New(auditOrigin, auditCheckpointer(t, 1).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// auditEntry is the entry logged with certificate n; a few subjects repeat so
// that EntriesForDID has something to select.
func auditEntry(n int64) audit.Entry {
	return audit.Entry{Type: audit.CertIssued, Time: t0.Add(time.Duration(n) * time.Second), Actor: "system",
		Tenant: "tenant", Subject: fmt.Sprintf("did:kakunin:agent%d", n%3),
		Digest: audit.SHA256(cert("o1", n, "").DER)}
}

// issueLogged records certificate n (serial n+1: serials are positive) and
// appends its audit entry in tx, and returns the entry's index.
func issueLogged(ctx context.Context, tx store.Tx, n int64) (uint64, error) {
	e := auditEntry(n)
	if err := tx.PutCertificate(ctx, cert("o1", n+1, e.Subject)); err != nil {
		return 0, err
	}
	atx, err := store.Audit(tx)
	if err != nil {
		return 0, err
	}
	return audit.Append(ctx, atx, e)
}

// auditDB opens a store with owner "o1" and returns it as an AuditDB.
func auditDB(t testing.TB, b AuditBackend, dsn string) store.AuditDB {
	t.Helper()
	db := b.Open(t, dsn)
	a, ok := db.(store.AuditDB)
	if !ok {
		t.Fatalf("%T is not a store.AuditDB", db)
	}
	ctx := context.Background()
	err := db.Tx(ctx, func(tx store.Tx) error {
		if _, err := tx.Owner(ctx, "o1"); err == nil {
			return nil
		}
		return tx.CreateOwner(ctx, owner("o1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// appendLogged issues certificates first..first+n-1, one transaction each, and
// signs a checkpoint with key seed 1 unless sign is false.
func appendLogged(t testing.TB, db store.DB, first, n int64, sign bool) {
	t.Helper()
	ctx := context.Background()
	for i := first; i < first+n; i++ {
		err := db.Tx(ctx, func(tx store.Tx) error {
			idx, err := issueLogged(ctx, tx, i)
			if err == nil && idx != uint64(i) {
				err = fmt.Errorf("entry of certificate %d logged at %d", i, idx)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if sign {
		signLog(t, db, auditCheckpointer(t, 1))
	}
}

// signLog signs the tree in a transaction and returns the signed note.
func signLog(t testing.TB, db store.DB, c *audit.Checkpointer) []byte {
	t.Helper()
	note, err := trySign(db, c)
	if err != nil {
		t.Fatal(err)
	}
	return note
}

func trySign(db store.DB, c *audit.Checkpointer) ([]byte, error) {
	ctx := context.Background()
	var note []byte
	err := db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err == nil {
			note, err = c.Sign(ctx, atx)
		}
		return err
	})
	return note, err
}

// verifyAll exports the whole tree of the latest checkpoint and verifies it.
func verifyAuditLog(t testing.TB, db store.AuditDB) (verify.State, *verify.Bundle, error) {
	t.Helper()
	b, err := auditCheckpointer(t, 1).Export(context.Background(), db, audit.ExportRequest{})
	if err != nil {
		return verify.State{}, nil, err
	}
	st, err := auditVerifier(t).Verify(verify.State{}, b)
	return st, b, err
}

// serial is a certificate serial as the registry stores it.
func auditSerial(n int64) *big.Int { return big.NewInt(n) }
