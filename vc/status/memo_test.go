package status

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// countingVerifier is parseOnly, counting its calls, or refusing every proof when reject is
// set.
type countingVerifier struct {
	calls  atomic.Int64
	reject atomic.Bool
}

func (v *countingVerifier) VerifyCredential(ctx context.Context, doc Document) (*Verified, error) {
	v.calls.Add(1)
	if v.reject.Load() {
		return nil, errBadProof
	}
	return parseOnly(ctx, doc)
}

// TestProofMemo: without the cache every check fetches the list, but the proofs of the same
// bytes are verified once per ProofMemoTTL, while changed bytes are verified and read at once.
func TestProofMemo(t *testing.T) {
	tests := []struct {
		name       string
		ttl        time.Duration
		validUntil time.Duration // of the list, after testNow; 0 is none
		step       func(*memoEnv)
		wantCalls  int64
		wantStatus uint64
	}{
		{"same bytes", 0, 0, func(*memoEnv) {}, 1, 0},
		{"same bytes within the ttl", 0, 0, func(e *memoEnv) { e.clk.advance(DefaultProofMemoTTL - time.Second) }, 1, 0},
		{"same bytes after the ttl", 0, 0, func(e *memoEnv) { e.clk.advance(DefaultProofMemoTTL) }, 2, 0},
		{"configured ttl", 10 * time.Second, 0, func(e *memoEnv) { e.clk.advance(10 * time.Second) }, 2, 0},
		{"disabled", -1, 0, func(*memoEnv) {}, 2, 0},
		{"clock set back", 0, 0, func(e *memoEnv) { e.clk.advance(-time.Second) }, 2, 0},
		{"list expires before the ttl", 0, 30 * time.Second, func(e *memoEnv) { e.clk.advance(30 * time.Second) }, 2, 0},
		{"bit changed", 0, 0, func(e *memoEnv) { e.setBit(t) }, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newMemoEnv(t, tt.ttl, tt.validUntil)
			e.check(t)
			tt.step(e)
			status := e.check(t)
			if got := e.v.calls.Load(); got != tt.wantCalls {
				t.Errorf("%d proof verifications, want %d", got, tt.wantCalls)
			}
			if got := e.net.count(); got != 2 {
				t.Errorf("%d fetches, want 2 (the cache is disabled)", got)
			}
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
		})
	}
}

// TestProofMemoOnlyVerified: bytes whose proofs failed are not remembered, and remembered
// bytes do not vouch for other bytes.
func TestProofMemoOnlyVerified(t *testing.T) {
	e := newMemoEnv(t, 0, 0)
	e.v.reject.Store(true)
	if _, err := e.checker.Check(context.Background(), e.cred); !errors.Is(err, errBadProof) {
		t.Fatalf("first check: %v, want errBadProof", err)
	}
	if _, err := e.checker.Check(context.Background(), e.cred); !errors.Is(err, errBadProof) {
		t.Fatalf("second check: %v, want errBadProof (a refused list must not be remembered)", err)
	}
	e.v.reject.Store(false)
	e.check(t)
	e.setBit(t)
	e.v.reject.Store(true)
	if _, err := e.checker.Check(context.Background(), e.cred); !errors.Is(err, errBadProof) {
		t.Fatalf("changed list: %v, want errBadProof (new bytes must be verified)", err)
	}
}

func TestProofMemoBounded(t *testing.T) {
	m := newProofMemo(0)
	l := &List{Credential: credentialWith(t, entryObject(t, revocationEntry(1))), Bits: mustNew(t, MinBits)}
	n := proofMemoBytes/(MinBits/8) + 10
	for i := range n {
		m.put([32]byte{byte(i), byte(i >> 8)}, l, testNow)
		if m.lists.size > proofMemoBytes {
			t.Fatalf("%d bytes after %d puts, want at most %d", m.lists.size, i+1, proofMemoBytes)
		}
	}
	if _, ok := m.get([32]byte{byte(n - 1), byte((n - 1) >> 8)}, testNow); !ok {
		t.Error("the last list put is not remembered")
	}
}

type memoEnv struct {
	net     *fakeNet
	clk     *clock
	v       *countingVerifier
	checker *Checker
	cred    *vc.Credential
	params  ListParams
}

func newMemoEnv(t *testing.T, ttl, validUntil time.Duration) *memoEnv {
	e := &memoEnv{net: &fakeNet{docs: map[string][]byte{}}, clk: &clock{t: testNow}, v: &countingVerifier{},
		params: listParams(Revocation)}
	if validUntil != 0 {
		e.params.ValidUntil = testNow.Add(validUntil)
	}
	publish(t, e.net, testListURL, e.params, mustNew(t, MinBits))
	e.checker = NewChecker(e.net, e.v, Options{Now: e.clk.Now, CacheBytes: -1, ProofMemoTTL: ttl})
	e.cred = credentialWith(t, entryObject(t, revocationEntry(1)))
	return e
}

// setBit publishes the list with the entry's bit set.
func (e *memoEnv) setBit(t *testing.T) {
	bits := mustNew(t, MinBits)
	if err := bits.Set(1, 1, 1); err != nil {
		t.Fatal(err)
	}
	publish(t, e.net, testListURL, e.params, bits)
}

func (e *memoEnv) check(t *testing.T) uint64 {
	t.Helper()
	r, err := e.checker.Check(context.Background(), e.cred)
	if err != nil {
		t.Fatal(err)
	}
	return r[0].Status
}
