package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"testing"
	"time"
)

type equaler interface{ Equal(crypto.PublicKey) bool }

func testKeys(t testing.TB) map[string]crypto.Signer {
	t.Helper()
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]crypto.Signer{"Ed25519": ed, "P-256": p256, "P-384": p384, "RSA": rsaKey}
}

func TestJWKRoundTrip(t *testing.T) {
	for name, key := range testKeys(t) {
		t.Run(name, func(t *testing.T) {
			j, err := NewJWK(key.Public())
			if err != nil {
				t.Fatal(err)
			}
			j.Kid, j.Alg = "k1", "ES256"
			b, err := json.Marshal(j)
			if err != nil {
				t.Fatal(err)
			}
			var back JWK
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			pub, err := back.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(equaler).Equal(key.Public()) || back.Kid != "k1" || back.Alg != "ES256" {
				t.Fatalf("round trip changed the key or members: %s", b)
			}
		})
	}
}

func TestJWKRejects(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good, _ := NewJWK(&p256.PublicKey)
	offCurve := *good
	offCurve.Y = good.X
	shortX := *good
	shortX.X = good.X[:len(good.X)-2]
	padded := *good
	padded.X += "="
	cases := []struct {
		name string
		jwk  JWK
		err  error
	}{
		{"off curve", offCurve, ErrInvalidJWK},
		{"short x", shortX, ErrInvalidJWK},
		{"padded base64", padded, ErrInvalidJWK},
		{"Ed25519 31 bytes", JWK{Kty: "OKP", Crv: "Ed25519", X: b64url.EncodeToString(make([]byte, 31))}, ErrInvalidJWK},
		{"X25519", JWK{Kty: "OKP", Crv: "X25519", X: b64url.EncodeToString(make([]byte, 32))}, ErrUnsupportedKey},
		{"secp256k1", JWK{Kty: "EC", Crv: "secp256k1", X: good.X, Y: good.Y}, ErrUnsupportedKey},
		{"oct", JWK{Kty: "oct"}, ErrUnsupportedKey},
		{"RSA 1024", JWK{Kty: "RSA", N: b64url.EncodeToString(new(big.Int).Lsh(big.NewInt(1), 1023).Bytes()), E: "AQAB"}, ErrUnsupportedKey},
		{"RSA leading zero", JWK{Kty: "RSA", N: b64url.EncodeToString(append([]byte{0}, make([]byte, 256)...)), E: "AQAB"}, ErrInvalidJWK},
		{"RSA even exponent", JWK{Kty: "RSA", N: b64url.EncodeToString(append([]byte{0x80}, make([]byte, 255)...)), E: "Ag"}, ErrInvalidJWK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.jwk.PublicKey(); !errors.Is(err, c.err) {
				t.Fatalf("PublicKey() = %v, want %v", err, c.err)
			}
		})
	}
}

func selfSigned(t *testing.T, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "t"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

func TestJWKX5C(t *testing.T) {
	keys := testKeys(t)
	cert := selfSigned(t, keys["P-256"])
	j, _ := NewJWK(keys["P-256"].Public())
	j.SetX5C([]*x509.Certificate{cert})
	if _, err := j.PublicKey(); err != nil {
		t.Fatalf("matching x5c: %v", err)
	}
	other, _ := NewJWK(keys["P-384"].Public())
	other.X5C = j.X5C
	if _, err := other.PublicKey(); !errors.Is(err, ErrInvalidJWK) {
		t.Fatalf("x5c of another key: %v", err)
	}
	urlSafe := *j
	urlSafe.X5C = []string{b64url.EncodeToString(cert.Raw)}
	if _, err := urlSafe.PublicKey(); !errors.Is(err, ErrInvalidJWK) {
		t.Fatalf("base64url x5c: %v", err)
	}
}
