package kakunin

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
)

func TestLinkRecordRoundTrip(t *testing.T) {
	rec := LinkRecord{Predecessor: "did:kakunin:a", Successor: "did:kakunin:b", Created: t0}
	b, err := rec.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"created":"2026-03-01T00:00:00Z","predecessor":"did:kakunin:a","successor":"did:kakunin:b","type":"KakuninLink"}`
	if string(b) != want {
		t.Fatalf("Marshal = %s, want %s", b, want)
	}
	got, err := ParseLinkRecord(b)
	if err != nil || got != rec {
		t.Fatalf("ParseLinkRecord = %+v, %v; want %+v", got, err, rec)
	}
	bad := []string{
		`{"predecessor":"did:kakunin:a","successor":"did:kakunin:b","type":"KakuninLink","created":"2026-03-01T00:00:00Z"}`,
		`{"created":"2026-03-01T00:00:00Z","predecessor":"did:kakunin:a","successor":"did:kakunin:b","type":"Other"}`,
		`{"created":"yesterday","predecessor":"did:kakunin:a","successor":"did:kakunin:b","type":"KakuninLink"}`,
		`not json`,
	}
	for _, s := range bad {
		if _, err := ParseLinkRecord([]byte(s)); !errors.Is(err, ErrInvalidLink) {
			t.Errorf("ParseLinkRecord(%s) = %v, want ErrInvalidLink", s, err)
		}
	}
}

func TestLinkSignatureKeyTypes(t *testing.T) {
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]crypto.Signer{"Ed25519": fixtureEd25519("link"), "P-256": fixtureP256("link"),
		"P-384": p384, "RSA": rsaKey}
	record := []byte(`{"type":"KakuninLink"}`)
	for name, k := range keys {
		t.Run(name, func(t *testing.T) {
			sig, err := SignLinkRecord(k, record)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyLinkSignature(k.Public(), record, sig); err != nil {
				t.Errorf("Verify = %v", err)
			}
			if err := VerifyLinkSignature(k.Public(), append(record, ' '), sig); !errors.Is(err, ErrInvalidLink) {
				t.Errorf("Verify of another record = %v, want ErrInvalidLink", err)
			}
			other := fixtureEd25519("other")
			if err := VerifyLinkSignature(other.Public(), record, sig); !errors.Is(err, ErrInvalidLink) {
				t.Errorf("Verify with another key = %v, want ErrInvalidLink", err)
			}
		})
	}
}

// FuzzParseLinkRecord: a record that parses is in canonical form, so marshalling
// what was parsed gives the same bytes.
func FuzzParseLinkRecord(f *testing.F) {
	f.Add([]byte(`{"created":"2026-03-01T00:00:00Z","predecessor":"did:kakunin:a","successor":"did:kakunin:b","type":"KakuninLink"}`))
	f.Add([]byte(`{"type":"KakuninLink"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := ParseLinkRecord(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidLink) {
				t.Fatalf("error %v does not wrap ErrInvalidLink", err)
			}
			return
		}
		again, err := rec.Marshal()
		if err != nil || string(again) != string(b) {
			t.Fatalf("Marshal(ParseLinkRecord(%q)) = %q, %v", b, again, err)
		}
	})
}
