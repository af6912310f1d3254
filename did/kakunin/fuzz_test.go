package kakunin

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseID: Parse never panics; what it accepts re-parses to the same ID, and
// the canonical form is a fixed point.
func FuzzParseID(f *testing.F) {
	var ex struct{ DID, HexOwnerDID, UpperCaseDID string }
	readJSON(f, "testdata/corpus/example.json", &ex)
	for _, s := range []string{ex.DID, ex.HexOwnerDID, ex.UpperCaseDID, "did:kakunin:::", "did:kakunin:" + hexA + ":" + hexB + ":" + secp256k1MK} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("error %v does not match ErrInvalidID", err)
			}
			return
		}
		canonical := id.String()
		again, err := Parse(canonical)
		if err != nil || !again.Equal(id) || again.String() != canonical {
			t.Fatalf("round trip of %q: %v", canonical, err)
		}
		in, out := strings.Split(s, ":"), strings.Split(canonical, ":")
		if len(in) != 5 || !strings.EqualFold(in[2], out[2]) || !strings.EqualFold(in[3], out[3]) {
			t.Fatalf("%q normalised to %q: digests changed", s, canonical)
		}
		if in[4] != out[4] && !(len(in[4]) == 64 && isHex(in[4]) && strings.EqualFold(in[4], hex.EncodeToString(id.OwnerKey().(ed25519.PublicKey)))) {
			t.Fatalf("%q normalised to %q: owner key changed", s, canonical)
		}
	})
}

// FuzzVerifyChain: arbitrary DER (split into up to four certificates) never makes
// VerifyChain panic, and every failure is a *ChainError.
func FuzzVerifyChain(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", "good.pem"))
	if err != nil {
		f.Fatal(err)
	}
	var ders [][]byte
	for block, rest := pem.Decode(b); block != nil; block, rest = pem.Decode(rest) {
		ders = append(ders, block.Bytes)
	}
	f.Add(ders[0], ders[1], ders[2])
	f.Add(ders[0], ders[2], []byte{})
	var ex struct{ DID string }
	readJSON(f, "testdata/corpus/example.json", &ex)
	id, err := Parse(ex.DID)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, leaf, ca, owner []byte) {
		var chain []*x509.Certificate
		for _, der := range [][]byte{leaf, ca, owner} {
			if c, err := x509.ParseCertificate(der); err == nil {
				chain = append(chain, c)
			}
		}
		v, err := VerifyChain(chain, id, VerifyOptions{CurrentTime: now})
		var ce *ChainError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("error %v is not a *ChainError", err)
		}
		if err == nil && (len(v.Chain) < 2 || !sameKey(v.OwnerCA().PublicKey, id.OwnerKey())) {
			t.Fatal("verified chain does not end at the owner key")
		}
	})
}
