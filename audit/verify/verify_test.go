package verify_test

import (
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

func TestHonestBundlesVerify(t *testing.T) {
	s := newLog(t, 21)
	tests := []struct {
		name string
		req  audit.ExportRequest
	}{
		{"whole tree", audit.ExportRequest{}},
		{"prefix", audit.ExportRequest{To: 5}},
		{"middle", audit.ExportRequest{From: 7, To: 13}},
		{"last entry", audit.ExportRequest{From: 20}},
		{"empty range", audit.ExportRequest{From: 4, To: 4}},
	}
	v := verifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := export(t, s, tt.req).Marshal()
			if err != nil {
				t.Fatal(err)
			}
			b, err := verify.ParseBundle(data)
			if err != nil {
				t.Fatal(err)
			}
			st, err := v.Verify(verify.State{}, b)
			if err != nil || st.Size() != 21 {
				t.Fatalf("Verify = size %d, %v", st.Size(), err)
			}
		})
	}
}

func TestEmptyAndSingleLeafLogs(t *testing.T) {
	for _, n := range []int{0, 1} {
		s := newLog(t, n)
		st, err := verifier(t).Verify(verify.State{}, export(t, s, audit.ExportRequest{}))
		if err != nil || st.Size() != uint64(n) {
			t.Fatalf("log of %d: size %d, %v", n, st.Size(), err)
		}
	}
	s := newLog(t, 1)
	b := export(t, s, audit.ExportRequest{})
	b.Entries[0].Entry[3] ^= 1
	if _, err := verifier(t).Verify(verify.State{}, b); !errors.Is(err, verify.ErrChangedEntry) {
		t.Fatalf("changed only entry: %v", err)
	}
}

// TestStateTracksGrowth follows an auditor across runs: the state file from one
// run is loaded in the next, and the log must only grow.
func TestStateTracksGrowth(t *testing.T) {
	v := verifier(t)
	s := newLog(t, 6)
	st, err := v.Verify(verify.State{}, export(t, s, audit.ExportRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{6, 7, 16, 23} {
		grow(t, s, "tenant-1", size)
		loaded, err := v.LoadState(st.Marshal())
		if err != nil || loaded.Size() != st.Size() {
			t.Fatalf("LoadState: %d, %v", loaded.Size(), err)
		}
		b := export(t, s, audit.ExportRequest{From: st.Size(), Since: st.Size()})
		if st, err = v.Verify(loaded, b); err != nil || st.Size() != uint64(size) {
			t.Fatalf("grow to %d: size %d, %v", size, st.Size(), err)
		}
		whole := export(t, s, audit.ExportRequest{}) // no proof: the old root is recomputed
		if _, err := v.Verify(loaded, whole); err != nil {
			t.Fatalf("whole tree at %d: %v", size, err)
		}
	}
}

func TestStateRejectsForksAndRollbacks(t *testing.T) {
	v := verifier(t)
	at := func(n int, tenant string) verify.State {
		s := new(memstore.Store)
		grow(t, s, tenant, n)
		st, err := v.Verify(verify.State{}, export(t, s, audit.ExportRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	fork := new(memstore.Store) // same key, different history
	grow(t, fork, "tenant-2", 12)
	honest := newLog(t, 12)
	tests := []struct {
		name  string
		state verify.State
		b     *verify.Bundle
		want  error
		index uint64
	}{
		{"rollback", at(14, "tenant-1"), export(t, honest, audit.ExportRequest{}), verify.ErrRollback, 14},
		{"fork at the same size", at(12, "tenant-1"), export(t, fork, audit.ExportRequest{}), verify.ErrInconsistent, 12},
		{"fork at a larger size", at(9, "tenant-1"), export(t, fork, audit.ExportRequest{From: 9, Since: 9}), verify.ErrInconsistent, 9},
		{"fork, whole tree without proof", at(9, "tenant-1"), export(t, fork, audit.ExportRequest{}), verify.ErrInconsistent, 9},
		{"no consistency proof", at(9, "tenant-1"), export(t, honest, audit.ExportRequest{From: 10}), verify.ErrInconsistent, 9},
		{"prefix shorter than the state", at(9, "tenant-1"), export(t, honest, audit.ExportRequest{To: 5}), verify.ErrInconsistent, 9},
		{"proof from another size", at(9, "tenant-1"), export(t, honest, audit.ExportRequest{From: 10, Since: 8}), verify.ErrInconsistent, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(tt.state, tt.b)
			var te *verify.TamperError
			if !errors.Is(err, tt.want) || !errors.As(err, &te) || te.Index != tt.index {
				t.Fatalf("Verify error = %v, want %v at %d", err, tt.want, tt.index)
			}
		})
	}
}

func TestLoadStateRejectsForeignCheckpoints(t *testing.T) {
	other, err := verify.New("other.example/log", checkpointer(t).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	st, err := verifier(t).Verify(verify.State{}, export(t, newLog(t, 3), audit.ExportRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.LoadState(st.Marshal()); !errors.Is(err, verify.ErrBadSignature) {
		t.Fatalf("state of another origin: %v", err)
	}
	if _, err := verifier(t).LoadState([]byte("junk")); !errors.Is(err, verify.ErrMalformed) {
		t.Fatalf("junk state: %v", err)
	}
}
