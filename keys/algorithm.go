package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
)

// Algorithm names a key type and size that kakunin signs with.
type Algorithm int

// The algorithms a [Signer] can hold. The zero value is not an algorithm.
const (
	Ed25519 Algorithm = iota + 1
	ECDSAP256
	ECDSAP384
	RSA2048
	RSA3072
)

var algorithmNames = map[Algorithm]string{
	Ed25519:   "Ed25519",
	ECDSAP256: "ECDSA-P256",
	ECDSAP384: "ECDSA-P384",
	RSA2048:   "RSA-2048",
	RSA3072:   "RSA-3072",
}

// String returns the name ParseAlgorithm accepts, such as "ECDSA-P256".
func (a Algorithm) String() string {
	if name, ok := algorithmNames[a]; ok {
		return name
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// ParseAlgorithm returns the algorithm named s ("Ed25519", "ECDSA-P256", "ECDSA-P384",
// "RSA-2048", "RSA-3072"), or an error wrapping [ErrUnsupportedAlgorithm].
func ParseAlgorithm(s string) (Algorithm, error) {
	for a, name := range algorithmNames {
		if name == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, s)
}

// algorithmOf returns the algorithm of a public key, or an error wrapping
// [ErrUnsupportedAlgorithm] for other key types, curves and sizes.
func algorithmOf(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) == ed25519.PublicKeySize {
			return Ed25519, nil
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSAP256, nil
		case elliptic.P384():
			return ECDSAP384, nil
		}
	case *rsa.PublicKey:
		switch k.N.BitLen() {
		case 2048:
			return RSA2048, nil
		case 3072:
			return RSA3072, nil
		}
	}
	return 0, fmt.Errorf("%w: public key %T", ErrUnsupportedAlgorithm, pub)
}

// curve returns the elliptic curve of an ECDSA algorithm, or nil.
func (a Algorithm) curve() elliptic.Curve {
	switch a {
	case ECDSAP256:
		return elliptic.P256()
	case ECDSAP384:
		return elliptic.P384()
	}
	return nil
}

// rsaBits returns the modulus size of an RSA algorithm, or 0.
func (a Algorithm) rsaBits() int {
	switch a {
	case RSA2048:
		return 2048
	case RSA3072:
		return 3072
	}
	return 0
}
