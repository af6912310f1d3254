package kakunin

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

const (
	hexA = "c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38"
	hexB = "5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071"
	mkA  = "z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"
	// the same Ed25519 key as mkA, as 64 hex digits
	hexKeyA = "61a54676220ed913d17b963b2400c3d66ffdd0dbb322321d41cfede3fcbfb87f"
	// a secp256k1 Multikey (multicodec 0xe7): the compressed generator point
	secp256k1MK = "zQ3shVc2UkAfJCdc1TR8E66J85h48P43r93q8jGPkPpjF9Ef9"
)

func TestParseCanonical(t *testing.T) {
	want := "did:kakunin:" + hexA + ":" + hexB + ":" + mkA
	tests := []struct{ name, in string }{
		{"canonical", want},
		{"upper-case hex", "did:kakunin:" + strings.ToUpper(hexA) + ":" + strings.ToUpper(hexB) + ":" + mkA},
		{"hex Ed25519 owner key", "did:kakunin:" + hexA + ":" + hexB + ":" + hexKeyA},
		{"upper-case hex owner key", "did:kakunin:" + hexA + ":" + hexB + ":" + strings.ToUpper(hexKeyA)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if id.String() != want {
				t.Errorf("String() = %s, want %s", id, want)
			}
			if _, ok := id.OwnerKey().(ed25519.PublicKey); !ok {
				t.Errorf("OwnerKey is %T", id.OwnerKey())
			}
			if id.DID().String() != want {
				t.Errorf("DID() = %s", id.DID())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	base := "did:kakunin:" + hexA + ":" + hexB + ":"
	tests := []struct {
		name, in string
		part     string
		extra    error
	}{
		{"empty", "", "method", nil},
		{"other method", "did:key:" + mkA, "method", nil},
		{"upper-case method", "did:KAKUNIN:" + hexA + ":" + hexB + ":" + mkA, "method", nil},
		{"two components", "did:kakunin:" + hexA + ":" + mkA, "syntax", nil},
		{"four components", base + mkA + ":x", "syntax", nil},
		{"short model digest", "did:kakunin:" + hexA[:62] + ":" + hexB + ":" + mkA, "model-digest", nil},
		{"non-hex prompt digest", "did:kakunin:" + hexA + ":" + hexB[:63] + "g:" + mkA, "prompt-digest", nil},
		{"empty owner key", base, "owner-key", nil},
		{"base58 not multibase", base + mkA[1:], "owner-key", nil},
		{"secp256k1 multikey", base + secp256k1MK, "owner-key", ErrUnsupportedOwnerKey},
		{"hex secp256k1 (33 bytes)", base + "04" + hexKeyA, "owner-key", ErrUnsupportedOwnerKey},
		{"hex of 31 bytes", base + hexKeyA[:62], "owner-key", nil},
		{"percent-encoded", "did:kakunin:%63" + hexA[1:] + ":" + hexB + ":" + mkA, "model-digest", nil},
		{"too long", base + strings.Repeat("z", MaxIDLength), "syntax", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var ie *IDError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidID) || !errors.Is(err, did.ErrInvalidDID) {
				t.Fatalf("Parse(%.40q) = %v, want *IDError matching ErrInvalidID and did.ErrInvalidDID", tt.in, err)
			}
			if ie.Part != tt.part {
				t.Errorf("Part = %q, want %q (%v)", ie.Part, tt.part, err)
			}
			if tt.extra != nil && !errors.Is(err, tt.extra) {
				t.Errorf("error %v does not match %v", err, tt.extra)
			}
		})
	}
}

func TestNewOwnerKeys(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name   string
		key    any
		prefix string
		err    error
	}{
		{"Ed25519", pub, "z6Mk", nil},
		{"P-256", &p256.PublicKey, "zDn", nil},
		{"P-384", &p384.PublicKey, "z82", nil},
		{"P-521", &p521.PublicKey, "", ErrUnsupportedOwnerKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := New(Digest{1}, Digest{2}, tt.key)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("New: %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || !strings.HasPrefix(id.OwnerMultikey(), tt.prefix) {
				t.Fatalf("New: %v %s", err, id.OwnerMultikey())
			}
			back, err := Parse(id.String())
			if err != nil || !back.Equal(id) {
				t.Fatalf("round trip: %v", err)
			}
		})
	}
}

func TestZeroID(t *testing.T) {
	var id ID
	if !id.IsZero() || id.String() != "" {
		t.Fatalf("zero ID: %q", id)
	}
}
