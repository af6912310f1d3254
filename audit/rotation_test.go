package audit_test

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
)

// keySet returns a Checkpointer signing with the test keys of seeds, the first
// current.
func keySet(t testing.TB, seeds ...byte) *audit.Checkpointer {
	t.Helper()
	var retired []crypto.Signer
	for _, s := range seeds[1:] {
		retired = append(retired, testKey(s))
	}
	c, err := audit.NewCheckpointer(origin, testKey(seeds[0]), retired...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signers returns the key hashes of the log's verified signatures on signed,
// in order, checked against the verifier keys of seeds.
func signers(t testing.TB, signed []byte, seeds ...byte) []uint32 {
	t.Helper()
	var vs []note.Verifier
	for _, s := range seeds {
		v, err := note.NewVerifier(keySet(t, s).VerifierKey())
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	n, err := note.Open(signed, note.VerifierList(vs...))
	if err != nil {
		t.Fatalf("open checkpoint: %v", err)
	}
	var out []uint32
	for _, s := range n.Sigs {
		out = append(out, s.Hash)
	}
	return out
}

func keyHash(t testing.TB, seed byte) uint32 {
	t.Helper()
	v, err := note.NewVerifier(keySet(t, seed).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v.KeyHash()
}

func TestCheckpointerSignsWithEveryKey(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 4)
	c := keySet(t, 2, 1)
	if got, want := c.VerifierKeys(), []string{keySet(t, 2).VerifierKey(), keySet(t, 1).VerifierKey()}; !slices.Equal(got, want) || c.VerifierKey() != want[0] {
		t.Fatalf("VerifierKeys = %q, VerifierKey = %q; want %q, the first", got, c.VerifierKey(), want)
	}
	signed, err := c.Sign(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := signers(t, signed, 1, 2), []uint32{keyHash(t, 2), keyHash(t, 1)}; !slices.Equal(got, want) {
		t.Fatalf("signatures by %08x, want %08x (current first)", got, want)
	}
	for _, seed := range []byte{1, 2} {
		v, _ := note.NewVerifier(keySet(t, seed).VerifierKey())
		if cp, err := audit.OpenCheckpoint(signed, origin, v); err != nil || cp.Size != 4 {
			t.Errorf("open with key %d alone: %+v, %v", seed, cp, err)
		}
	}
	v3, _ := note.NewVerifier(keySet(t, 3).VerifierKey())
	if _, err := audit.OpenCheckpoint(signed, origin, v3); !errors.Is(err, audit.ErrBadSignature) {
		t.Errorf("open with another key: %v, want ErrBadSignature", err)
	}
}

func TestNewCheckpointerRejectsKeySets(t *testing.T) {
	tests := []struct {
		name    string
		key     crypto.Signer
		retired []crypto.Signer
		want    error
	}{
		{"retired key equal to the current one", testKey(1), []crypto.Signer{testKey(1)}, audit.ErrDuplicateKey},
		{"retired key given twice", testKey(1), []crypto.Signer{testKey(2), testKey(3), testKey(2)}, audit.ErrDuplicateKey},
		{"retired key not Ed25519", testKey(1), []crypto.Signer{notEd25519{}}, audit.ErrUnsupportedKey},
		{"current key not Ed25519", notEd25519{}, []crypto.Signer{testKey(1)}, audit.ErrUnsupportedKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := audit.NewCheckpointer(origin, tt.key, tt.retired...); !errors.Is(err, tt.want) {
				t.Fatalf("NewCheckpointer: %v, want %v", err, tt.want)
			}
		})
	}
}

// TestSignFollowsKeyChanges checks that a tree that has not grown is signed
// again when a key was added, that a key set none of whose keys signed the
// stored checkpoint is refused, and that signatures of dropped keys go when the
// tree grows.
func TestSignFollowsKeyChanges(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 3)
	steps := []struct {
		name    string
		seeds   []byte
		grow    int
		want    []byte // signing keys of the saved checkpoint
		resigns bool
		err     error
	}{
		{"old key", []byte{1}, 0, []byte{1}, true, nil},
		{"new key added", []byte{2, 1}, 0, []byte{2, 1}, true, nil},
		{"same keys", []byte{2, 1}, 0, []byte{2, 1}, false, nil},
		{"keys swapped", []byte{1, 2}, 0, []byte{2, 1}, false, nil},
		{"old key dropped", []byte{2}, 0, []byte{2, 1}, false, nil},
		{"old key dropped, tree grown", []byte{2}, 1, []byte{2}, true, nil},
		{"another key alone", []byte{3}, 0, nil, false, audit.ErrBadSignature},
		{"the old key alone again", []byte{1}, 0, nil, false, audit.ErrBadSignature},
	}
	for _, st := range steps {
		size, _ := s.LockTree(ctx)
		appendN(t, s, int(size), st.grow)
		before, _ := s.LatestCheckpoint(ctx)
		signed, err := keySet(t, st.seeds...).Sign(ctx, s)
		if !errors.Is(err, st.err) {
			t.Fatalf("%s: Sign: %v, want %v", st.name, err, st.err)
		}
		if err != nil {
			continue
		}
		if resigned := string(signed) != string(before); resigned != st.resigns {
			t.Errorf("%s: signed again = %v, want %v", st.name, resigned, st.resigns)
		}
		var want []uint32
		for _, k := range st.want {
			want = append(want, keyHash(t, k))
		}
		if got := signers(t, signed, 1, 2); !slices.Equal(got, want) {
			t.Errorf("%s: signatures by %08x, want %08x", st.name, got, want)
		}
		if saved, _ := s.LatestCheckpoint(ctx); string(saved) != string(signed) {
			t.Errorf("%s: saved checkpoint differs from the returned one", st.name)
		}
	}
}

func TestRecordKeys(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s := new(memstore.Store)
	appendN(t, s, 0, 2)
	if rec, err := keySet(t, 1).RecordKeys(ctx, s, now); err != nil || rec {
		t.Fatalf("no checkpoint yet: recorded %v, %v; want nothing", rec, err)
	}
	if _, err := keySet(t, 1).Sign(ctx, s); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		seeds  []byte
		record bool
		err    error
	}{
		{"unchanged", []byte{1}, false, nil},
		{"new key with the old retired", []byte{2, 1}, true, nil},
		{"restart with the same keys", []byte{2, 1}, false, nil},
		{"current and retired swapped", []byte{1, 2}, true, nil},
		{"old key dropped", []byte{2}, true, nil},
		{"old key alone", []byte{1}, false, audit.ErrBadSignature},
	}
	for _, st := range steps {
		c := keySet(t, st.seeds...)
		size, _ := s.LockTree(ctx)
		rec, err := c.RecordKeys(ctx, s, now)
		if rec != st.record || !errors.Is(err, st.err) {
			t.Fatalf("%s: recorded %v, %v; want %v, %v", st.name, rec, err, st.record, st.err)
		}
		after, _ := s.LockTree(ctx)
		if !rec {
			if after != size {
				t.Errorf("%s: tree grew from %d to %d", st.name, size, after)
			}
			continue
		}
		checkKeyEntry(t, s, c, after-1, now)
		signed, _ := s.LatestCheckpoint(ctx)
		cp, err := c.Open(signed)
		if err != nil || cp.Size != after || len(signers(t, signed, 1, 2)) != len(st.seeds) {
			t.Errorf("%s: latest checkpoint %+v, %v; want size %d signed by %d keys", st.name, cp, err, after, len(st.seeds))
		}
	}
}

// checkKeyEntry checks that entry idx records c's key set.
func checkKeyEntry(t *testing.T, s *memstore.Store, c *audit.Checkpointer, idx uint64, now time.Time) {
	t.Helper()
	recs, err := s.EntriesRange(context.Background(), idx, idx+1)
	if err != nil || len(recs) != 1 {
		t.Fatalf("entry %d: %v", idx, err)
	}
	e, err := audit.ParseEntry(recs[0].Entry)
	if err != nil {
		t.Fatal(err)
	}
	keys := c.VerifierKeys()
	record := fmt.Sprintf(`{"origin":%q,"keys":[%q`, origin, keys[0])
	for _, k := range keys[1:] {
		record += fmt.Sprintf(",%q", k)
	}
	record += "]}"
	want := audit.Entry{Type: audit.LogKeyRotated, Time: now, Actor: "system", Tenant: "system",
		Digest: audit.SHA256([]byte(record))}
	if e != want {
		t.Errorf("entry %d = %+v, want %+v", idx, e, want)
	}
	if d, err := c.KeysDigest(); err != nil || d != want.Digest {
		t.Errorf("KeysDigest = %s, %v; want %s", d, err, want.Digest)
	}
}
