package auth_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/store"
)

// logSize is the audit tree size of db.
func logSize(t testing.TB, db store.DB) uint64 {
	t.Helper()
	var size uint64
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		size, err = atx.LockTree(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return size
}

// logEntries returns the raw entries of db's log from index from on.
func logEntries(t testing.TB, db store.DB, from uint64) [][]byte {
	t.Helper()
	to := logSize(t, db)
	got, err := db.(audit.Reader).EntriesRange(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, len(got))
	for i, e := range got {
		out[i] = e.Entry
	}
	return out
}

// parse decodes a raw entry.
func parse(t testing.TB, raw []byte) audit.Entry {
	t.Helper()
	e, err := audit.ParseEntry(raw)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// assertNoSecret fails when raw holds the token's text, secret or hash in any
// usual encoding.
func assertNoSecret(t testing.TB, raw []byte, text string, tok store.Token) {
	t.Helper()
	secret := text[bytes.LastIndexByte([]byte(text), '_')+1:]
	for name, s := range map[string]string{
		"text": text, "secret": secret, "hash hex": hex.EncodeToString(tok.Hash[:]),
		"hash base64":    base64.StdEncoding.EncodeToString(tok.Hash[:]),
		"hash base64url": base64.RawURLEncoding.EncodeToString(tok.Hash[:]),
	} {
		if bytes.Contains(bytes.ToLower(raw), bytes.ToLower([]byte(s))) {
			t.Errorf("entry holds the token %s: %s", name, raw)
		}
	}
}

// verifyLog signs a checkpoint of db's log and has audit/verify check the
// whole exported tree.
func verifyLog(t testing.TB, db store.DB) {
	t.Helper()
	ctx := context.Background()
	cp, err := audit.NewCheckpointer("kakunin.test/audit", ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		_, err = cp.Sign(ctx, atx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := cp.Export(ctx, db.(audit.Reader), audit.ExportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.New(cp.Origin(), cp.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	st, err := v.Verify(verify.State{}, bundle)
	if err != nil {
		t.Fatalf("log does not verify: %v", err)
	}
	if st.Size() != logSize(t, db) {
		t.Fatalf("verified %d of %d entries", st.Size(), logSize(t, db))
	}
}
