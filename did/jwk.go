package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"math/big"
)

// ErrInvalidJWK is wrapped by errors about a publicKeyJwk value.
var ErrInvalidJWK = errors.New("did: invalid JWK")

// JWK is a public JSON Web Key (RFC 7517) as a verification method carries it in
// publicKeyJwk. Members other than those named here (key_ops, x5t, x5u, ...) are kept
// in Extra. Private key members are rejected when parsing.
type JWK struct {
	Kty string // "OKP", "EC" or "RSA"
	Crv string // OKP and EC curve: "Ed25519", "P-256", "P-384"
	X   string // base64url, OKP and EC
	Y   string // base64url, EC
	N   string // base64url, RSA modulus
	E   string // base64url, RSA exponent
	Kid string
	Alg string
	Use string
	// X5C is the certificate chain of RFC 7517 § 4.7: standard base64 (not base64url)
	// DER certificates, the first holding this key.
	X5C []string
	// Extra holds other public members, as JSON values.
	Extra map[string]jsontext.Value
}

// privateJWKMembers are the members of the "Private" information class of the IANA
// JSON Web Key Parameters registry (RFC 7518 § 6.2.2, 6.3.2, 6.4.1). CID § 2.2.3:
// publicKeyJwk "MUST NOT contain any members of the private information class".
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

var b64url = base64.RawURLEncoding.Strict()

// NewJWK returns the public JWK of pub: OKP for Ed25519, EC for P-256 and P-384, RSA
// for RSA keys of at least 2048 bits. Kid, Alg and X5C are left for the caller.
func NewJWK(pub crypto.PublicKey) (*JWK, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrUnsupportedKey, len(k))
		}
		return &JWK{Kty: "OKP", Crv: "Ed25519", X: b64url.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		crv := curveName(k.Curve)
		raw, err := k.Bytes()
		if crv == "" || err != nil {
			return nil, fmt.Errorf("%w: ECDSA key on %s", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		size := (len(raw) - 1) / 2
		return &JWK{Kty: "EC", Crv: crv, X: b64url.EncodeToString(raw[1 : 1+size]), Y: b64url.EncodeToString(raw[1+size:])}, nil
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("%w: RSA key of %d bits (minimum 2048)", ErrUnsupportedKey, k.N.BitLen())
		}
		return &JWK{Kty: "RSA", N: b64url.EncodeToString(k.N.Bytes()), E: b64url.EncodeToString(big.NewInt(int64(k.E)).Bytes())}, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

func curveName(c elliptic.Curve) string {
	switch c {
	case elliptic.P256():
		return "P-256"
	case elliptic.P384():
		return "P-384"
	}
	return ""
}

// PublicKey returns the key j describes, checking exact lengths, that EC points are on
// their curve, and RSA keys of at least 2048 bits with a canonical exponent. When X5C
// is set, its first certificate must hold the same key (RFC 7517 § 4.7). Errors wrap
// ErrInvalidJWK or ErrUnsupportedKey.
func (j *JWK) PublicKey() (crypto.PublicKey, error) {
	pub, err := j.key()
	if err != nil {
		return nil, err
	}
	if len(j.X5C) > 0 {
		if err := j.checkX5C(pub); err != nil {
			return nil, err
		}
	}
	return pub, nil
}

func (j *JWK) key() (crypto.PublicKey, error) {
	switch j.Kty {
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: OKP curve %q", ErrUnsupportedKey, j.Crv)
		}
		x, err := jwkBytes("x", j.X, ed25519.PublicKeySize)
		if err != nil {
			return nil, err
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		return j.ecKey()
	case "RSA":
		return j.rsaKey()
	}
	return nil, fmt.Errorf("%w: kty %q", ErrUnsupportedKey, j.Kty)
}

func (j *JWK) ecKey() (crypto.PublicKey, error) {
	var curve elliptic.Curve
	switch j.Crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	default:
		return nil, fmt.Errorf("%w: EC curve %q", ErrUnsupportedKey, j.Crv)
	}
	size := (curve.Params().BitSize + 7) / 8
	x, err := jwkBytes("x", j.X, size)
	if err != nil {
		return nil, err
	}
	y, err := jwkBytes("y", j.Y, size)
	if err != nil {
		return nil, err
	}
	k, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("%w: %s point not on the curve", ErrInvalidJWK, j.Crv)
	}
	return k, nil
}

func (j *JWK) rsaKey() (crypto.PublicKey, error) {
	n, err := jwkBytes("n", j.N, 0)
	if err != nil {
		return nil, err
	}
	e, err := jwkBytes("e", j.E, 0)
	if err != nil {
		return nil, err
	}
	// RFC 7518 § 6.3.1: n and e are unsigned big-endian integers "using the minimum
	// number of octets needed to represent the value".
	if n[0] == 0 || e[0] == 0 || len(e) > 4 {
		return nil, fmt.Errorf("%w: RSA n or e not minimally encoded", ErrInvalidJWK)
	}
	k := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if k.N.BitLen() < 2048 {
		return nil, fmt.Errorf("%w: RSA key of %d bits (minimum 2048)", ErrUnsupportedKey, k.N.BitLen())
	}
	if k.E < 3 || k.E&1 == 0 || k.E > 1<<31-1 {
		return nil, fmt.Errorf("%w: RSA exponent", ErrInvalidJWK)
	}
	return k, nil
}

// jwkBytes decodes a base64url member; size 0 means any non-empty length.
func jwkBytes(name, v string, size int) ([]byte, error) {
	b, err := b64url.DecodeString(v)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: member %q is not unpadded base64url", ErrInvalidJWK, name)
	case size == 0 && len(b) == 0:
		return nil, fmt.Errorf("%w: member %q is empty", ErrInvalidJWK, name)
	case size != 0 && len(b) != size:
		return nil, fmt.Errorf("%w: member %q has %d bytes, want %d", ErrInvalidJWK, name, len(b), size)
	}
	return b, nil
}

func (j *JWK) checkX5C(pub crypto.PublicKey) error {
	for i, c := range j.X5C {
		der, err := base64.StdEncoding.Strict().DecodeString(c)
		if err != nil {
			return fmt.Errorf("%w: x5c[%d] is not standard base64", ErrInvalidJWK, i)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("%w: x5c[%d]: %v", ErrInvalidJWK, i, err)
		}
		if i > 0 {
			continue
		}
		// RFC 7517 § 4.7: "The key in the first certificate MUST match the public key
		// represented by other members of the JWK."
		if k, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(pub) {
			return fmt.Errorf("%w: x5c[0] holds a different key", ErrInvalidJWK)
		}
	}
	return nil
}

// SetX5C sets j.X5C to the DER certificates of chain, leaf first.
func (j *JWK) SetX5C(chain []*x509.Certificate) {
	j.X5C = make([]string, len(chain))
	for i, c := range chain {
		j.X5C[i] = base64.StdEncoding.EncodeToString(c.Raw)
	}
}
