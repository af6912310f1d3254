package status

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestAtTimeRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 800_000_000, time.FixedZone("", -5*3600))
	got, err := AtTime(testListURL+"?v=1", at)
	if err != nil {
		t.Fatal(err)
	}
	if want := testListURL + "?timestamp=2026-03-04T10%3A06%3A07.8Z&v=1"; got != want {
		t.Fatalf("AtTime = %s, want %s", got, want)
	}
	u, _ := url.Parse(got)
	back, ok, err := RequestedTime(u.Query())
	if err != nil || !ok || !back.Equal(at) {
		t.Fatalf("RequestedTime = %v, %v, %v; want %v", back, ok, err, at)
	}
	if _, err := AtTime("/status/3", at); !errors.Is(err, vc.ErrMalformedValue) {
		t.Fatalf("relative URL: %v", err)
	}
}

func TestRequestedTime(t *testing.T) {
	tests := []struct {
		query   string
		present bool
		bad     bool
	}{
		{"", false, false},
		{"timestamp=2026-01-02T03:04:05Z", true, false},
		{"timestamp=2026-01-02T03:04:05%2B09:00", true, false},
		{"timestamp=2026-01-02T03:04:05", false, true},
		{"timestamp=2026-01-02", false, true},
		{"timestamp=yesterday", false, true},
		{"timestamp=2026-01-02T03:04:05Z&timestamp=2026-01-02T03:04:06Z", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			_, ok, err := RequestedTime(q)
			if ok != tt.present || errors.Is(err, vc.ErrMalformedValue) != tt.bad {
				t.Fatalf("RequestedTime(%q) = %v, %v", tt.query, ok, err)
			}
		})
	}
}

func TestCacheControl(t *testing.T) {
	for ttl, want := range map[time.Duration]string{
		0:                       "public, no-cache",
		500 * time.Millisecond:  "public, no-cache",
		5 * time.Minute:         "public, max-age=300",
		1500 * time.Millisecond: "public, max-age=1",
	} {
		if got := CacheControl(ttl); got != want {
			t.Errorf("CacheControl(%v) = %q, want %q", ttl, got, want)
		}
	}
}
