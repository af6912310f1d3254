package store_test

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func TestIdempotentReplay(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	r := store.Idempotent{Key: "k", RequestHash: sha256.Sum256([]byte("a")), Status: 201, Created: t0,
		Expires: t0.Add(time.Hour)}
	tests := []struct {
		name string
		body string
		now  time.Time
		want error
	}{
		{"same request", "a", t0.Add(time.Minute), store.ErrReplay},
		{"another request", "b", t0.Add(time.Minute), store.ErrConflict},
		{"expired", "b", t0.Add(time.Hour), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := r.Replay(sha256.Sum256([]byte(tc.body)), tc.now)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Replay = %v, want %v", err, tc.want)
			}
			var replay *store.ReplayError
			if errors.As(err, &replay) && replay.Stored.Status != 201 {
				t.Errorf("replayed status %d, want 201", replay.Stored.Status)
			}
		})
	}
}

func TestIdempotentValidate(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ok := store.Idempotent{TenantID: "acme", Key: "k", Status: 200, Created: t0, Expires: t0.Add(time.Hour)}
	mutate := func(f func(*store.Idempotent)) store.Idempotent {
		r := ok
		f(&r)
		return r
	}
	tests := []struct {
		name string
		r    store.Idempotent
		want error
	}{
		{"valid", ok, nil},
		{"no key", mutate(func(r *store.Idempotent) { r.Key = "" }), store.ErrInvalid},
		{"status 600", mutate(func(r *store.Idempotent) { r.Status = 600 }), store.ErrInvalid},
		{"expires at creation", mutate(func(r *store.Idempotent) { r.Expires = t0 }), store.ErrInvalid},
		{"oversized body", mutate(func(r *store.Idempotent) { r.Body = make([]byte, store.MaxResponseLen+1) }), store.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.r.Validate(); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Validate = %v, want %v", err, tc.want)
			}
		})
	}
}
