package status

import (
	"bytes"
	"crypto/rand"
	"errors"
	mrand "math/rand/v2"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// seeded is a deterministic random source for tests.
func seeded(seed uint64) *mrand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return mrand.NewChaCha8(s)
}

func TestRandomIndexAvoidsUsed(t *testing.T) {
	used := map[int]bool{}
	for range 1000 {
		i, err := RandomIndex(rand.Reader, 1024, func(i int) bool { return used[i] })
		if err != nil {
			t.Fatal(err)
		}
		if used[i] || i < 0 || i >= 1024 {
			t.Fatalf("index %d is taken or out of range", i)
		}
		used[i] = true
	}
}

// TestRandomIndexFallbackScan: with one free index left the draws miss and the scan finds it;
// with none left the list is full.
func TestRandomIndexFallbackScan(t *testing.T) {
	const entries, free = MinEntries, 77777
	calls := 0
	i, err := RandomIndex(seeded(1), entries, func(i int) bool { calls++; return i != free })
	if err != nil || i != free {
		t.Fatalf("RandomIndex = %d, %v; want %d", i, err, free)
	}
	if calls > RandomDraws+entries {
		t.Fatalf("used called %d times", calls)
	}
	_, err = RandomIndex(seeded(1), entries, func(int) bool { return true })
	if !errors.Is(err, ErrListFull) || !errors.Is(err, vc.ErrRange) {
		t.Fatalf("full list: %v", err)
	}
}

// TestRandomIndexUniform: a chi-squared test over 16 indexes with a fixed seed; 37.7 is the
// 0.001 critical value for 15 degrees of freedom.
func TestRandomIndexUniform(t *testing.T) {
	const n, draws = 16, 32000
	var counts [n]int
	src := seeded(2)
	for range draws {
		i, err := RandomIndex(src, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		counts[i]++
	}
	chi2, want := 0.0, float64(draws)/n
	for _, c := range counts {
		chi2 += (float64(c) - want) * (float64(c) - want) / want
	}
	if chi2 > 37.7 {
		t.Fatalf("chi-squared %.1f: counts %v are not uniform", chi2, counts)
	}
}

func TestRandomIndexNotSequential(t *testing.T) {
	used := map[int]bool{}
	sequential := 0
	prev, src := -1, seeded(3)
	for range 100 {
		i, err := RandomIndex(src, MinEntries, func(i int) bool { return used[i] })
		if err != nil {
			t.Fatal(err)
		}
		if i == prev+1 {
			sequential++
		}
		used[i], prev = true, i
	}
	if sequential > 2 {
		t.Fatalf("%d of 100 allocations followed the previous index", sequential)
	}
}

func TestRandomIndexErrors(t *testing.T) {
	if _, err := RandomIndex(rand.Reader, 0, nil); !errors.Is(err, vc.ErrMalformedValue) {
		t.Fatalf("zero entries: %v", err)
	}
	if _, err := RandomIndex(bytes.NewReader([]byte{1, 2, 3}), 10, nil); err == nil {
		t.Fatal("a failing random source was ignored")
	}
}
