package verify_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// rotationKeys returns a Checkpointer of the keys of seeds, the first current.
func rotationKeys(t testing.TB, seeds ...byte) *audit.Checkpointer {
	t.Helper()
	keys := make([]crypto.Signer, len(seeds))
	for i, s := range seeds {
		keys[i] = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{s}, ed25519.SeedSize))
	}
	c, err := audit.NewCheckpointer(origin, keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pin(t testing.TB, seed byte) *verify.Verifier {
	t.Helper()
	v, err := verify.New(origin, rotationKeys(t, seed).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// growWith appends entries up to size n and signs a checkpoint with c.
func growWith(t testing.TB, s *memstore.Store, c *audit.Checkpointer, n int) *verify.Bundle {
	t.Helper()
	ctx := context.Background()
	size, _ := s.LockTree(ctx)
	for i := int(size); i < n; i++ {
		if _, err := audit.Append(ctx, s, entry("tenant-1", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Sign(ctx, s); err != nil {
		t.Fatal(err)
	}
	b, err := c.Export(ctx, s, audit.ExportRequest{Since: size})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reload round-trips a state through its file form under v.
func reload(t testing.TB, v *verify.Verifier, st verify.State) verify.State {
	t.Helper()
	got, err := v.LoadState(st.Marshal())
	if err != nil {
		t.Fatalf("LoadState: %v", err)
	}
	return got
}

// TestVerifyAcrossKeyRotation follows an auditor through a log key rotation:
// old key (1), then new (2) with the old retired, then the new alone, the
// auditor re-pinning the new key during the transition.
func TestVerifyAcrossKeyRotation(t *testing.T) {
	s := new(memstore.Store)
	oldPin, newPin := pin(t, 1), pin(t, 2)

	st, err := oldPin.Verify(verify.State{}, growWith(t, s, rotationKeys(t, 1), 5))
	if err != nil {
		t.Fatalf("before the rotation: %v", err)
	}
	oldOnly := st

	transition := growWith(t, s, rotationKeys(t, 2, 1), 8)
	if st, err = oldPin.Verify(reload(t, oldPin, st), transition); err != nil || st.Size() != 8 {
		t.Fatalf("transition, old key pinned: size %d, %v", st.Size(), err)
	}
	if fresh, err := newPin.Verify(verify.State{}, transition); err != nil || fresh.Size() != 8 {
		t.Fatalf("transition, new key pinned: size %d, %v", fresh.Size(), err)
	}
	if _, err := pin(t, 3).Verify(verify.State{}, transition); !errors.Is(err, verify.ErrBadSignature) {
		t.Fatalf("transition, another key pinned: %v, want ErrBadSignature", err)
	}

	// The auditor re-pins: the state saved during the transition carries both
	// signatures; one saved before carries only the old key's.
	st = reload(t, newPin, st)
	if _, err := newPin.LoadState(oldOnly.Marshal()); !errors.Is(err, verify.ErrBadSignature) {
		t.Fatalf("state signed by the old key only, new key pinned: %v, want ErrBadSignature", err)
	}

	after := growWith(t, s, rotationKeys(t, 2), 11)
	if st, err = newPin.Verify(st, after); err != nil || st.Size() != 11 {
		t.Fatalf("after the rotation, new key pinned: size %d, %v", st.Size(), err)
	}
	if _, err := oldPin.Verify(reload(t, oldPin, oldOnly), after); !errors.Is(err, verify.ErrBadSignature) {
		t.Fatalf("after the rotation, old key pinned: %v, want ErrBadSignature", err)
	}
	if st = reload(t, newPin, st); st.Size() != 11 {
		t.Fatalf("state after the rotation: size %d", st.Size())
	}
}
