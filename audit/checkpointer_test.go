package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestSignGrowsTheCheckpoint(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	c := newCheckpointer(t, 1)
	v, _ := note.NewVerifier(c.VerifierKey())
	for _, grow := range []int{0, 5, 3, 0, 1} {
		size, _ := s.LockTree(ctx)
		appendN(t, s, int(size), grow)
		signed, err := c.Sign(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := audit.OpenCheckpoint(signed, origin, v)
		want, _ := audit.TreeHash(ctx, s, size+uint64(grow))
		if err != nil || cp.Size != size+uint64(grow) || cp.Root != want {
			t.Fatalf("checkpoint %+v, %v; want size %d root %x", cp, err, size+uint64(grow), want)
		}
		if saved, _ := s.LatestCheckpoint(ctx); string(saved) != string(signed) {
			t.Fatalf("saved checkpoint differs from the returned one")
		}
	}
}

// TestSignRefuses checks that, also after a restart (a new Checkpointer over
// the stored state), a smaller or inconsistent tree is never signed.
func TestSignRefuses(t *testing.T) {
	ctx := context.Background()
	honest := func(t *testing.T, signedSize, size int) memstore.Data {
		s := new(memstore.Store)
		appendN(t, s, 0, signedSize)
		if _, err := newCheckpointer(t, 1).Sign(ctx, s); err != nil {
			t.Fatal(err)
		}
		appendN(t, s, signedSize, size-signedSize)
		return s.Data()
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T) memstore.Data
		want   error
	}{
		{"truncated tree", func(t *testing.T) memstore.Data {
			d := honest(t, 8, 8)
			d.Entries, d.Subjects, d.Hashes = d.Entries[:3], d.Subjects[:3], d.Hashes[:tlog.StoredHashCount(3)]
			return d
		}, audit.ErrSmallerTree},
		{"rewritten subtree of a power-of-two checkpoint", func(t *testing.T) memstore.Data {
			d := honest(t, 8, 11)
			d.Hashes[tlog.StoredHashIndex(3, 0)][0] ^= 1
			return d
		}, audit.ErrInconsistentTree},
		{"rewritten subtree of a checkpoint of 6", func(t *testing.T) memstore.Data {
			d := honest(t, 6, 9)
			d.Hashes[tlog.StoredHashIndex(2, 0)][5] ^= 1
			return d
		}, audit.ErrInconsistentTree},
		{"rewritten leaf at the same size", func(t *testing.T) memstore.Data {
			d := honest(t, 5, 5)
			d.Hashes[tlog.StoredHashIndex(0, 4)][0] ^= 1
			return d
		}, audit.ErrInconsistentTree},
		{"checkpoint signed by another key", func(t *testing.T) memstore.Data {
			s := new(memstore.Store)
			appendN(t, s, 0, 2)
			if _, err := newCheckpointer(t, 9).Sign(ctx, s); err != nil {
				t.Fatal(err)
			}
			return s.Data()
		}, audit.ErrBadSignature},
		{"corrupted checkpoint", func(t *testing.T) memstore.Data {
			d := honest(t, 2, 2)
			d.Checkpoint = d.Checkpoint[:len(d.Checkpoint)-3]
			return d
		}, audit.ErrMalformedCheckpoint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := memstore.Load(tt.tamper(t))
			before, _ := s.LatestCheckpoint(ctx)
			if _, err := newCheckpointer(t, 1).Sign(ctx, s); !errors.Is(err, tt.want) {
				t.Fatalf("Sign error = %v, want %v", err, tt.want)
			}
			if after, _ := s.LatestCheckpoint(ctx); string(after) != string(before) {
				t.Fatalf("a refused Sign changed the saved checkpoint")
			}
		})
	}
}
