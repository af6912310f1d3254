package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"

	"github.com/multiformats/go-multibase"
)

func TestMultikeyRoundTrip(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	cases := []struct {
		name, prefix string
		pub          any
	}{
		{"Ed25519", "z6Mk", edPub},
		{"P-256", "zDn", &p256.PublicKey},
		{"P-384", "z82", &p384.PublicKey},
		{"RSA", "z4MX", &rsaKey.PublicKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := EncodeMultikey(c.pub)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(s, c.prefix) {
				t.Fatalf("%s does not start with %s", s, c.prefix)
			}
			back, err := DecodeMultikey(s)
			if err != nil {
				t.Fatal(err)
			}
			if !back.(interface{ Equal(crypto.PublicKey) bool }).Equal(c.pub) {
				t.Fatal("round trip changed the key")
			}
		})
	}
}

func TestDecodeMultikeyKnownValues(t *testing.T) {
	// From the W3C Controlled Identifiers / Multikey examples.
	for _, s := range []string{
		"z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu",
		"zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
		"z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54",
	} {
		if _, err := DecodeMultikey(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func TestDecodeMultikeyErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"", ErrInvalidMultikey},
		{"u7QE", ErrInvalidMultikey}, // base64url, not base58btc
		{"zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", ErrUnsupportedKey}, // secp256k1
		{"z0OIl", ErrInvalidMultikey},
		{mustMultibase(append([]byte{0xed, 0x01}, make([]byte, 31)...)), ErrInvalidMultikey},       // short Ed25519
		{mustMultibase(append([]byte{0x80, 0x24, 0x04}, make([]byte, 32)...)), ErrInvalidMultikey}, // not a compressed P-256 point                                            // not base58
	} {
		if _, err := DecodeMultikey(c.in); !errors.Is(err, c.want) {
			t.Errorf("DecodeMultikey(%q) = %v, want %v", c.in, err, c.want)
		}
	}
}

func mustMultibase(b []byte) string {
	s, err := multibase.Encode(multibase.Base58BTC, b)
	if err != nil {
		panic(err)
	}
	return s
}
