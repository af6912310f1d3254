package audit_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
)

const origin = "kakunin.example/audit"

func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func testEntry(i int) audit.Entry {
	return audit.Entry{
		Type:    audit.CertIssued,
		Time:    time.Date(2026, 11, 26, 8, 0, 0, i*1000, time.UTC),
		Actor:   "did:example:owner",
		Tenant:  "tenant-1",
		Subject: fmt.Sprintf("did:example:agent%d", i%3),
		Digest:  audit.SHA256([]byte(fmt.Sprint(i))),
	}
}

// appendN appends n test entries to s, starting at entry number first.
func appendN(t testing.TB, s *memstore.Store, first, n int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		idx, err := audit.Append(context.Background(), s, testEntry(i))
		if err != nil || idx != uint64(i) {
			t.Fatalf("Append(%d) = %d, %v", i, idx, err)
		}
	}
}

func newCheckpointer(t testing.TB, seed byte) *audit.Checkpointer {
	t.Helper()
	c, err := audit.NewCheckpointer(origin, testKey(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// notEd25519 is a crypto.Signer with a non-Ed25519 public key.
type notEd25519 struct{}

func (notEd25519) Public() crypto.PublicKey { return &ecdsa.PublicKey{} }
func (notEd25519) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("not used")
}
