package verifier

import (
	"crypto/sha256"
	"testing"
	"time"
)

func TestListMemo(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a, b := sha256.Sum256([]byte("list a")), sha256.Sum256([]byte("list b"))
	tests := []struct {
		name       string
		validUntil time.Time
		ask        [sha256.Size]byte
		at         time.Time
		want       bool
	}{
		{"same bytes, same time", time.Time{}, a, t0, true},
		{"same bytes, within the ttl", time.Time{}, a, t0.Add(listMemoTTL - time.Second), true},
		{"same bytes, ttl over", time.Time{}, a, t0.Add(listMemoTTL), false},
		{"other bytes (a bit changed)", time.Time{}, b, t0, false},
		{"clock set back", time.Time{}, a, t0.Add(-time.Second), false},
		{"list expires before the ttl", t0.Add(10 * time.Second), a, t0.Add(10 * time.Second), false},
		{"list valid beyond the ttl", t0.Add(time.Hour), a, t0.Add(listMemoTTL - time.Second), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m listMemo
			m.put(a, t0, tt.validUntil)
			if got := m.verified(tt.ask, tt.at); got != tt.want {
				t.Errorf("verified = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListMemoBounded(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var m listMemo
	digest := func(i int) [sha256.Size]byte { return sha256.Sum256([]byte{byte(i), byte(i >> 8)}) }
	n := listMemoEntries + 10
	for i := range n {
		m.put(digest(i), t0, time.Time{})
		if len(m.m) > listMemoEntries {
			t.Fatalf("%d entries after %d puts, want at most %d", len(m.m), i+1, listMemoEntries)
		}
	}
	if !m.verified(digest(n-1), t0) {
		t.Error("the last digest put is not remembered")
	}
}
