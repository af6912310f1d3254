package verify_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

const origin = "kakunin.example/audit"

func checkpointer(t testing.TB) *audit.Checkpointer {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	c, err := audit.NewCheckpointer(origin, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func verifier(t testing.TB) *verify.Verifier {
	t.Helper()
	v, err := verify.New(origin, checkpointer(t).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func entry(tenant string, i int) audit.Entry {
	return audit.Entry{
		Type:    audit.CredentialIssued,
		Time:    time.Date(2026, 11, 26, 8, 0, i, 0, time.UTC),
		Actor:   "did:example:issuer",
		Tenant:  tenant,
		Subject: fmt.Sprintf("did:example:agent%d", i),
		Digest:  audit.SHA256(fmt.Appendf(nil, "%s/%d", tenant, i)),
	}
}

// grow appends entries up to size n and signs a checkpoint.
func grow(t testing.TB, s *memstore.Store, tenant string, n int) {
	t.Helper()
	ctx := context.Background()
	size, _ := s.LockTree(ctx)
	for i := int(size); i < n; i++ {
		if _, err := audit.Append(ctx, s, entry(tenant, i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := checkpointer(t).Sign(ctx, s); err != nil {
		t.Fatal(err)
	}
}

func newLog(t testing.TB, n int) *memstore.Store {
	s := new(memstore.Store)
	grow(t, s, "tenant-1", n)
	return s
}

func export(t testing.TB, s *memstore.Store, req audit.ExportRequest) *verify.Bundle {
	t.Helper()
	b, err := checkpointer(t).Export(context.Background(), s, req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
