package vc

import (
	"errors"
	"testing"
	"time"
)

func TestCheckValidity(t *testing.T) {
	c, err := ParseCredential([]byte(baseCredential), ParseOptions{}) // 2010-01-01T19:23:24Z … 2030-01-01T17:23:24Z
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"inside", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), nil},
		{"at validFrom", time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC), nil},
		{"at validUntil, other zone", time.Date(2030, 1, 1, 18, 23, 24, 0, time.FixedZone("", 3600)), nil},
		{"before", time.Date(2010, 1, 1, 19, 23, 23, 0, time.UTC), ErrNotYetValid},
		{"after", time.Date(2030, 1, 1, 17, 23, 25, 0, time.UTC), ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckValidity(tt.now)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrRange) {
				t.Fatalf("err = %v, want %v and ErrRange", err, tt.want)
			}
		})
	}
}

func TestCheckValidityOpenEnded(t *testing.T) {
	c, err := ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential",
		"issuer":"did:e:i","credentialSubject":{"a":1}}`), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if err := c.CheckValidity(now); err != nil {
			t.Fatalf("%v: %v", now, err)
		}
	}
}

func TestCheckValidityV11(t *testing.T) {
	c, err := ParseCredential([]byte(`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":"VerifiableCredential",
		"issuer":"did:e:i","credentialSubject":{"a":1},"issuanceDate":"2020-01-01T00:00:00Z","expirationDate":"2021-01-01T00:00:00Z"}`), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckValidity(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	wantProblem(t, err, ErrRange, "/expirationDate")
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("err = %v, want ErrExpired", err)
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in          string
		requireZone bool
		want        time.Time
		ok          bool
	}{
		{"2010-01-01T19:23:24Z", true, time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC), true},
		{"2023-02-25T19:10:39-06:00", true, time.Date(2023, 2, 26, 1, 10, 39, 0, time.UTC), true},
		{"2023-02-26T01:02:58.447Z", true, time.Date(2023, 2, 26, 1, 2, 58, 447_000_000, time.UTC), true},
		{"2023-02-26T01:02:58.1234567891Z", true, time.Date(2023, 2, 26, 1, 2, 58, 123_456_789, time.UTC), true},
		{"2024-02-29T00:00:00+14:00", true, time.Date(2024, 2, 28, 10, 0, 0, 0, time.UTC), true},
		{"2023-12-31T24:00:00Z", true, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"12023-01-01T00:00:00Z", true, time.Date(12023, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"-0044-03-15T12:00:00Z", true, time.Date(-44, 3, 15, 12, 0, 0, 0, time.UTC), true},
		{"2010-01-01T19:23:24", false, time.Date(2010, 1, 1, 19, 23, 24, 0, time.UTC), true},
		{"2010-01-01T19:23:24", true, time.Time{}, false},
		{"2023-02-29T00:00:00Z", true, time.Time{}, false},
		{"2023-04-31T00:00:00Z", true, time.Time{}, false},
		{"2023-13-01T00:00:00Z", true, time.Time{}, false},
		{"2023-01-01T24:00:01Z", true, time.Time{}, false},
		{"2023-01-01T23:60:00Z", true, time.Time{}, false},
		{"2023-01-01T23:59:60Z", true, time.Time{}, false},
		{"2023-01-01T00:00:00+14:01", true, time.Time{}, false},
		{"2023-01-01T00:00:00+0100", true, time.Time{}, false},
		{"2023-01-01T00:00:00.Z", true, time.Time{}, false},
		{"2023-01-01 00:00:00Z", true, time.Time{}, false},
		{"02023-01-01T00:00:00Z", true, time.Time{}, false},
		{"223-01-01T00:00:00Z", true, time.Time{}, false},
		{"2023-1-01T00:00:00Z", true, time.Time{}, false},
		{"2023-01-01T00:00:00Zjunk", true, time.Time{}, false},
		{"2023-01-01T00:00:00z", true, time.Time{}, false},
		{"", true, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDateTime(tt.in, tt.requireZone)
			if (err == nil) != tt.ok || !got.Equal(tt.want) {
				t.Fatalf("got %v, %v; want %v, ok=%v", got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestIsURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://example.org/x#y", true},
		{"did:example:123", true},
		{"urn:uuid:0c07c1ce-57cb-41af-bef2-1b932b986873", true},
		{"data:application/vc+jwt,abc", true},
		{"http://localhost:8080", true},
		{"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj", false},
		{"", false},
		{":no-scheme", false},
		{"1http://x", false},
		{"https://", false},
		{"https:///path", false},
		{"did:", false},
		{"https://ex.example/a b", false},
		{"https://ex.example/\n", false},
		{"https://[::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := isURL(tt.in); got != tt.ok {
				t.Fatalf("isURL(%q) = %v", tt.in, got)
			}
		})
	}
}
