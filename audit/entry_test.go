package audit_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
)

func TestEntryEncodeIsCanonical(t *testing.T) {
	e := testEntry(1)
	e.Time = time.Date(2026, 11, 26, 9, 0, 0, 500_000_000, time.FixedZone("CET", 3600))
	got, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"actor":"did:example:owner","digest":"` + string(audit.SHA256([]byte("1"))) +
		`","subject":"did:example:agent1","tenant":"tenant-1","time":"2026-11-26T08:00:00.5Z","type":"cert.issued","v":1}`
	if string(got) != want {
		t.Fatalf("Encode =\n%s\nwant\n%s", got, want)
	}
	back, err := audit.ParseEntry(got)
	if err != nil || !back.Time.Equal(e.Time) || back.Digest != e.Digest || back.Subject != e.Subject {
		t.Fatalf("ParseEntry = %+v, %v", back, err)
	}
}

func TestEntryValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*audit.Entry)
	}{
		{"empty type", func(e *audit.Entry) { e.Type = "" }},
		{"type without dot", func(e *audit.Entry) { e.Type = "issued" }},
		{"type with capitals", func(e *audit.Entry) { e.Type = "Cert.Issued" }},
		{"type with double dot", func(e *audit.Entry) { e.Type = "cert..issued" }},
		{"zero time", func(e *audit.Entry) { e.Time = time.Time{} }},
		{"year 10000", func(e *audit.Entry) { e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"empty actor", func(e *audit.Entry) { e.Actor = "" }},
		{"empty tenant", func(e *audit.Entry) { e.Tenant = "" }},
		{"control character", func(e *audit.Entry) { e.Actor = "a\nb" }},
		{"invalid UTF-8", func(e *audit.Entry) { e.Tenant = "\xff" }},
		{"long field", func(e *audit.Entry) { e.Actor = strings.Repeat("a", audit.MaxFieldSize+1) }},
		{"subject not a DID", func(e *audit.Entry) { e.Subject = "agent" }},
		{"empty digest", func(e *audit.Entry) { e.Digest = "" }},
		{"unknown digest algorithm", func(e *audit.Entry) { e.Digest = "md5:00" }},
		{"short digest", func(e *audit.Entry) { e.Digest = "sha-256:abcd" }},
		{"upper-case digest", func(e *audit.Entry) { e.Digest = audit.Digest(strings.ToUpper(string(audit.SHA256(nil)))) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testEntry(0)
			tt.modify(&e)
			if _, err := e.Encode(); !errors.Is(err, audit.ErrInvalidEntry) {
				t.Fatalf("Encode error = %v, want ErrInvalidEntry", err)
			}
		})
	}
	if err := testEntry(0).Validate(); err != nil {
		t.Fatalf("valid entry: %v", err)
	}
}

func TestParseEntryRejectsNonCanonical(t *testing.T) {
	good, err := testEntry(2).Encode()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"whitespace":      strings.Replace(string(good), ",", ", ", 1),
		"member order":    `{"v":1,` + strings.TrimSuffix(strings.TrimPrefix(string(good), "{"), `,"v":1}`) + "}",
		"offset time":     strings.Replace(string(good), "Z", "+00:00", 1),
		"unknown member":  strings.Replace(string(good), `{`, `{"secret":"x",`, 1),
		"other version":   strings.Replace(string(good), `"v":1`, `"v":2`, 1),
		"trailing data":   string(good) + "{}",
		"not JSON":        "cert.issued",
		"escaped slash":   strings.Replace(string(good), "did:example:owner", `did:example\/owner`, 1),
		"too large":       strings.Repeat(" ", audit.MaxEntrySize+1),
		"invalid in JSON": strings.Replace(string(good), "tenant-1", "", 1),
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := audit.ParseEntry([]byte(input)); !errors.Is(err, audit.ErrInvalidEntry) {
				t.Fatalf("ParseEntry error = %v, want ErrInvalidEntry", err)
			}
		})
	}
}

// FuzzParseEntry checks that every accepted input is the canonical encoding of
// the entry it decodes to.
func FuzzParseEntry(f *testing.F) {
	for i := range 3 {
		b, _ := testEntry(i).Encode()
		f.Add(b)
	}
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := audit.ParseEntry(data)
		if err != nil {
			return
		}
		again, err := e.Encode()
		if err != nil || string(again) != string(data) {
			t.Fatalf("accepted %q but re-encodes to %q, %v", data, again, err)
		}
	})
}
