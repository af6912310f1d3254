package status

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestParseSpecListCredential(t *testing.T) {
	c, err := vc.ParseCredential([]byte(specListCredential), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseList(c, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.Purposes, []Purpose{Revocation}) || l.HasTTL || l.Bits.Len() != MinBits {
		t.Fatalf("parsed %+v", l)
	}
}

// TestNewListCredential checks the document against §2.2 and Example 3 and reads it back.
func TestNewListCredential(t *testing.T) {
	bits := mustNew(t, MinBits)
	if err := bits.Set(94567, 1, 1); err != nil {
		t.Fatal(err)
	}
	p := ListParams{
		ID: testListURL, Issuer: testIssuer, Purposes: []Purpose{Revocation, Suspension},
		ValidFrom:  time.Date(2026, 1, 1, 0, 0, 0, 900, time.FixedZone("", 3600)),
		ValidUntil: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		TTL:        300 * time.Second,
	}
	c, err := NewListCredential(p, bits)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := c.MarshalJSON()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	subject := doc["credentialSubject"].(map[string]any)
	checks := map[string][2]any{
		"@context":          {doc["@context"], []any{vc.ContextV2}},
		"type":              {doc["type"], []any{"VerifiableCredential", ListCredentialType}},
		"validFrom":         {doc["validFrom"], "2025-12-31T23:00:00Z"},
		"validUntil":        {doc["validUntil"], "2026-01-02T00:00:00Z"},
		"subject id":        {subject["id"], testListURL + "#list"},
		"subject type":      {subject["type"], ListType},
		"subject purpose":   {subject["statusPurpose"], []any{"revocation", "suspension"}},
		"subject ttl in ms": {subject["ttl"], 300000.0},
	}
	for name, c := range checks {
		if !reflect.DeepEqual(c[0], c[1]) {
			t.Errorf("%s = %#v, want %#v", name, c[0], c[1])
		}
	}
	l, err := ParseList(c, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := l.Bits.Get(94567, 1); v != 1 || l.TTL != 300*time.Second || !l.HasPurpose(Suspension) {
		t.Fatalf("read back %+v", l)
	}
}

func TestNewListCredentialRefuses(t *testing.T) {
	bits := mustNew(t, MinBits)
	tests := []struct {
		name string
		edit func(p *ListParams)
		path string
	}{
		{"no id", func(p *ListParams) { p.ID = "" }, "/id"},
		{"issuer not a URL", func(p *ListParams) { p.Issuer = "Example Corp" }, "/issuer"},
		{"no purpose", func(p *ListParams) { p.Purposes = nil }, "/credentialSubject/statusPurpose"},
		{"empty purpose", func(p *ListParams) { p.Purposes = []Purpose{""} }, "/credentialSubject/statusPurpose"},
		{"no validFrom", func(p *ListParams) { p.ValidFrom = time.Time{} }, "/validFrom"},
		{"reversed period", func(p *ListParams) { p.ValidUntil = p.ValidFrom.Add(-time.Second) }, "/validUntil"},
		{"negative ttl", func(p *ListParams) { p.TTL = -time.Second }, "/credentialSubject/ttl"},
		{"bad subject id", func(p *ListParams) { p.SubjectID = "list" }, "/credentialSubject/id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := listParams(Revocation)
			tt.edit(&p)
			_, err := NewListCredential(p, bits)
			var e *Error
			if !errors.Is(err, vc.ErrMalformedValue) || !errors.As(err, &e) || e.Path != tt.path {
				t.Fatalf("error %v, want a MALFORMED_VALUE_ERROR at %s", err, tt.path)
			}
		})
	}
	if _, err := NewListCredential(listParams(Revocation), nil); !errors.Is(err, vc.ErrMalformedValue) {
		t.Fatalf("nil bitstring: %v", err)
	}
}

// TestListViolations breaks one MUST of §2.2 at a time in a list credential.
func TestListViolations(t *testing.T) {
	tests := []struct {
		name string
		edit func(doc, subject map[string]any)
		want error
		path string
	}{
		{"data model 1.1", func(d, _ map[string]any) {
			d["@context"] = []any{vc.ContextV1, "https://www.w3.org/ns/credentials/status/v1"}
			d["issuanceDate"] = d["validFrom"]
			delete(d, "validFrom")
		}, vc.ErrMalformedValue, "/@context"},
		{"no list type", func(d, _ map[string]any) { d["type"] = []any{"VerifiableCredential"} }, vc.ErrMalformedValue, "/type"},
		{"two subjects", func(d, s map[string]any) { d["credentialSubject"] = []any{s, s} }, vc.ErrMalformedValue, "/credentialSubject"},
		{"subject type", func(_, s map[string]any) { s["type"] = "StatusList2021" }, vc.ErrMalformedValue, "/credentialSubject/type"},
		{"purpose number", func(_, s map[string]any) { s["statusPurpose"] = 1 }, vc.ErrMalformedValue, "/credentialSubject/statusPurpose"},
		{"purpose empty array", func(_, s map[string]any) { s["statusPurpose"] = []any{} }, vc.ErrMalformedValue, "/credentialSubject/statusPurpose"},
		{"purpose array item", func(_, s map[string]any) { s["statusPurpose"] = []any{"revocation", 2} }, vc.ErrMalformedValue, "/credentialSubject/statusPurpose/1"},
		{"no encodedList", func(_, s map[string]any) { delete(s, "encodedList") }, vc.ErrMalformedValue, "/credentialSubject/encodedList"},
		{"bad encodedList", func(_, s map[string]any) { s["encodedList"] = "zABC" }, ErrEncoding, "/credentialSubject/encodedList"},
		{"ttl negative", func(_, s map[string]any) { s["ttl"] = -1 }, vc.ErrMalformedValue, "/credentialSubject/ttl"},
		{"ttl string", func(_, s map[string]any) { s["ttl"] = "1000" }, vc.ErrMalformedValue, "/credentialSubject/ttl"},
		{"subject in array, bad", func(d, s map[string]any) { s["type"] = "X"; d["credentialSubject"] = []any{s} }, vc.ErrMalformedValue, "/credentialSubject/0/type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decodeJSON(t, specListCredential)
			tt.edit(doc, doc["credentialSubject"].(map[string]any))
			data, _ := json.Marshal(doc)
			c, err := vc.ParseCredential(data, vc.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseList(c, DecodeOptions{})
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Path != tt.path {
				t.Fatalf("error %v, want %v at %s", err, tt.want, tt.path)
			}
		})
	}
}
