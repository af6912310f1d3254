package dataintegrity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

var errSignatureEncoding = errors.New("malformed ECDSA signature from the signer")

// sign signs hashData with key. Ed25519 signs hashData itself (RFC 8032 Pure
// EdDSA, so crypto.Hash(0)). ECDSA signs hashData with the suite's hash
// ("applying the Elliptic Curve Digital Signature Algorithm (ECDSA)
// [FIPS-186-5], with hashData as the data to be signed": FIPS 186-5 hashes the
// message), and the DER signature a crypto.Signer returns is rewritten in the
// IEEE P1363 form r||s the suite requires ("proofBytes will be exactly 64 bytes
// in size for a P-256 key, and 96 bytes in size for a P-384 key").
func sign(key crypto.Signer, rnd io.Reader, h crypto.Hash, hashData []byte) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	switch pub := key.Public().(type) {
	case ed25519.PublicKey:
		return key.Sign(rnd, hashData, crypto.Hash(0))
	case *ecdsa.PublicKey:
		d := h.New()
		d.Write(hashData)
		der, err := key.Sign(rnd, d.Sum(nil), h)
		if err != nil {
			return nil, err
		}
		return derToP1363(der, (pub.Curve.Params().BitSize+7)/8)
	}
	return nil, fmt.Errorf("%w: %T", ErrKeyType, key.Public())
}

// verifySignature checks sig over hashData with pub, as sign makes it.
func verifySignature(pub crypto.PublicKey, h crypto.Hash, hashData, sig []byte) bool {
	switch pub := pub.(type) {
	case ed25519.PublicKey:
		return len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, hashData, sig)
	case *ecdsa.PublicKey:
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return false
		}
		d := h.New()
		d.Write(hashData)
		return ecdsa.VerifyASN1(pub, d.Sum(nil), p1363ToDER(sig))
	}
	return false
}

// derToP1363 converts an ASN.1 DER ECDSA-Sig-Value to r||s, each left-padded
// to size bytes.
func derToP1363(der []byte, size int) ([]byte, error) {
	var r, s []byte
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, asn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1Integer(&r) || !seq.ReadASN1Integer(&s) || !seq.Empty() {
		return nil, errSignatureEncoding
	}
	out := make([]byte, 2*size)
	if !putFixed(out[:size], r) || !putFixed(out[size:], s) {
		return nil, errSignatureEncoding
	}
	return out, nil
}

// putFixed writes the big-endian unsigned integer b (as ReadASN1Integer gives
// it into a []byte: minimal, positive) right-aligned into dst.
func putFixed(dst, b []byte) bool {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > len(dst) {
		return false
	}
	copy(dst[len(dst)-len(b):], b)
	return true
}

// p1363ToDER converts r||s to an ASN.1 DER ECDSA-Sig-Value.
func p1363ToDER(sig []byte) []byte {
	half := len(sig) / 2
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addUnsigned(b, sig[:half])
		addUnsigned(b, sig[half:])
	})
	return b.BytesOrPanic()
}

// addUnsigned adds a big-endian unsigned integer as an ASN.1 INTEGER.
func addUnsigned(b *cryptobyte.Builder, n []byte) {
	for len(n) > 1 && n[0] == 0 {
		n = n[1:]
	}
	b.AddASN1(asn1.INTEGER, func(b *cryptobyte.Builder) {
		if n[0]&0x80 != 0 {
			b.AddUint8(0)
		}
		b.AddBytes(n)
	})
}
