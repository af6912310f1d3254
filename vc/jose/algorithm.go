package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"math/big"
	"slices"
)

// Algorithm is a JWS "alg" value (RFC 7518 §3.1, RFC 8037 §3.1, RFC 9864 §2.2).
type Algorithm string

// The signature algorithms this package signs and verifies. "none" and the HMAC algorithms
// are never accepted: a credential is secured with the issuer's asymmetric key.
const (
	EdDSA   Algorithm = "EdDSA"   // Ed25519 keys (RFC 8037); deprecated by RFC 9864 but widely deployed
	Ed25519 Algorithm = "Ed25519" // the fully specified name RFC 9864 §2.2 gives the same operation
	ES256   Algorithm = "ES256"   // ECDSA P-256 SHA-256
	ES384   Algorithm = "ES384"   // ECDSA P-384 SHA-384
	RS256   Algorithm = "RS256"   // RSASSA-PKCS1-v1_5 SHA-256
	PS256   Algorithm = "PS256"   // RSASSA-PSS SHA-256, MGF1 SHA-256, salt of hash length
)

// supported lists the algorithms this package implements, the allow-list used when
// VerifyOptions.Algorithms is nil.
var supported = []Algorithm{EdDSA, Ed25519, ES256, ES384, PS256, RS256}

// minRSABits is the smallest RSA modulus accepted. RFC 7518 §3.3: "A key of size 2048 bits
// or larger MUST be used with these algorithms." (§3.5 says the same for PSS).
const minRSABits = 2048

// defaultAlgorithm is the algorithm a key signs with when none is asked for: the only one
// for Ed25519 and ECDSA keys (EdDSA, which verifiers deployed today understand, rather than
// Ed25519), and PS256 for RSA.
func defaultAlgorithm(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return EdDSA, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ES256, nil
		case elliptic.P384():
			return ES384, nil
		}
	case *rsa.PublicKey:
		return PS256, nil
	}
	return "", fmt.Errorf("%w: no JWS algorithm for a %T key", ErrAlgorithm, pub)
}

// checkKey reports whether pub is a key alg uses (RFC 7518 §3.4: ES256 is ECDSA "using P-256
// and SHA-256", so the curve is part of the algorithm).
func checkKey(alg Algorithm, pub crypto.PublicKey) error {
	ok := false
	switch k := pub.(type) {
	case ed25519.PublicKey:
		ok = (alg == EdDSA || alg == Ed25519) && len(k) == ed25519.PublicKeySize
	case *ecdsa.PublicKey:
		ok = alg == ES256 && k.Curve == elliptic.P256() || alg == ES384 && k.Curve == elliptic.P384()
	case *rsa.PublicKey:
		if (alg == RS256 || alg == PS256) && k.N.BitLen() < minRSABits {
			return fmt.Errorf("%w: RSA keys must have at least %d bits", ErrKeyMismatch, minRSABits)
		}
		ok = alg == RS256 || alg == PS256
	}
	if !ok {
		return fmt.Errorf("%w: a %s key cannot be used with %s", ErrKeyMismatch, keyKind(pub), alg)
	}
	return nil
}

func keyKind(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case *rsa.PublicKey:
		return "RSA"
	}
	return fmt.Sprintf("%T", pub)
}

func allowed(alg Algorithm, list []Algorithm) bool {
	if list == nil {
		list = supported
	}
	return slices.Contains(list, alg) && knownAlgorithm(alg)
}

func knownAlgorithm(alg Algorithm) bool {
	return slices.Contains(supported, alg)
}

func (alg Algorithm) hash() (crypto.Hash, hash.Hash) {
	switch alg {
	case ES384:
		return crypto.SHA384, sha512.New384()
	case EdDSA, Ed25519:
		return 0, nil
	}
	return crypto.SHA256, sha256.New()
}

// verifySignature checks sig over the JWS signing input with pub, which checkKey accepted.
func verifySignature(alg Algorithm, pub crypto.PublicKey, input, sig []byte) bool {
	h, hh := alg.hash()
	var digest []byte
	if hh != nil {
		hh.Write(input)
		digest = hh.Sum(nil)
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(k, input, sig)
	case *ecdsa.PublicKey:
		return verifyECDSA(k, digest, sig)
	case *rsa.PublicKey:
		if alg == PS256 {
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		}
		return rsa.VerifyPKCS1v15(k, h, digest, sig) == nil
	}
	return false
}

// verifyECDSA checks a JWS ECDSA signature, which RFC 7518 §3.4 encodes as the fixed-width
// big-endian R followed by S ("the JWS Signature value MUST be a 64-octet sequence" for
// ES256), never as ASN.1.
func verifyECDSA(k *ecdsa.PublicKey, digest, sig []byte) bool {
	size := (k.Curve.Params().BitSize + 7) / 8
	if len(sig) != 2*size {
		return false
	}
	r := new(big.Int).SetBytes(sig[:size])
	s := new(big.Int).SetBytes(sig[size:])
	return ecdsa.Verify(k, digest, r, s)
}
