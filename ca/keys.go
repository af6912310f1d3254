package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
)

// RSA modulus bounds of the agent-certificate profile (spec §6.1).
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// checkKeyType applies the profile's key rule: Ed25519, ECDSA P-256 or P-384, RSA of
// 2048 to 8192 bits in whole octets.
func checkKeyType(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return nil
		}
		return fmt.Errorf("ECDSA curve %s", k.Curve.Params().Name)
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < minRSABits || n > maxRSABits || n%8 != 0 {
			return fmt.Errorf("RSA modulus of %d bits", n)
		}
		return nil
	default:
		return fmt.Errorf("key type %T", pub)
	}
}

// sameKey reports whether a and b are the same public key.
func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// keyID is a subject key identifier: RFC 7093 §2 method 1, the leftmost 160 bits of
// the SHA-256 of the subjectPublicKey BIT STRING's DER.
func keyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	spki, err := subjectPublicKeyBits(der)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(spki)
	return sum[:20], nil
}
