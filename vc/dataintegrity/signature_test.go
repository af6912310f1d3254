package dataintegrity

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"testing"
)

// TestECDSASignatureForm signs through an opaque crypto.Signer (as an HSM
// key is), and checks the r||s form: fixed length, verifiable with the
// standard library after conversion back to DER, for both curves.
func TestECDSASignatureForm(t *testing.T) {
	for _, c := range []struct {
		curve elliptic.Curve
		h     crypto.Hash
		size  int
	}{{elliptic.P256(), crypto.SHA256, 64}, {elliptic.P384(), crypto.SHA384, 96}} {
		t.Run(c.curve.Params().Name, func(t *testing.T) {
			k, err := ecdsa.GenerateKey(c.curve, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			data := []byte("hash data")
			for range 64 { // r or s is shorter than the field now and then
				sig, err := sign(opaqueSigner{k}, nil, c.h, data)
				if err != nil || len(sig) != c.size {
					t.Fatalf("signature of %d bytes (%v), want %d", len(sig), err, c.size)
				}
				d := c.h.New()
				d.Write(data)
				if !ecdsa.VerifyASN1(&k.PublicKey, d.Sum(nil), p1363ToDER(sig)) || !verifySignature(&k.PublicKey, c.h, data, sig) {
					t.Fatal("signature does not verify")
				}
				if verifySignature(&k.PublicKey, c.h, []byte("other"), sig) {
					t.Fatal("signature verifies over other data")
				}
			}
		})
	}
}

// TestDERToP1363 covers the conversion of DER signatures a signer may return.
func TestDERToP1363(t *testing.T) {
	tests := []struct {
		name string
		der  []byte
		want []byte
		err  bool
	}{
		{"short r and s", []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, append(append(make([]byte, 31), 1), append(make([]byte, 31), 2)...), false},
		{"high bit padding", []byte{0x30, 0x08, 0x02, 0x02, 0x00, 0x80, 0x02, 0x02, 0x00, 0xff}, append(append(make([]byte, 31), 0x80), append(make([]byte, 31), 0xff)...), false},
		{"trailing data", []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00}, nil, true},
		{"zero r", []byte{0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02}, nil, true},
		{"negative s", []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x82}, nil, true},
		{"r too long", append([]byte{0x30, 0x26, 0x02, 0x21, 0x01}, append(bytes.Repeat([]byte{1}, 32), 0x02, 0x01, 0x02)...), nil, true},
		{"not a sequence", []byte{0x04, 0x00}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := derToP1363(tc.der, 32)
			if tc.err {
				if !errors.Is(err, errSignatureEncoding) {
					t.Fatalf("error %v, want errSignatureEncoding", err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("got %x (%v), want %x", got, err, tc.want)
			}
		})
	}
}

// TestVerifySignatureLengths: a signature of the wrong length never verifies.
func TestVerifySignatureLengths(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sum := sha256.Sum256(nil)
	for _, n := range []int{0, 63, 65, 96} {
		if verifySignature(&k.PublicKey, crypto.SHA256, sum[:], make([]byte, n)) {
			t.Errorf("a %d-byte signature verified", n)
		}
	}
}
