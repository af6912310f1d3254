package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-varint"
)

// ErrUnsupportedKey is returned for public keys whose type or curve has no Multikey
// encoding in this package (secp256k1, X25519 and RSA below 2048 bits among them).
var ErrUnsupportedKey = errors.New("did: unsupported public key type")

// ErrInvalidMultikey is returned when a publicKeyMultibase value does not decode to a key.
var ErrInvalidMultikey = errors.New("did: invalid multikey")

// EncodeMultikey returns the Multikey form of pub (base58btc multibase over a
// multicodec-prefixed key): "z6Mk…" for Ed25519, "zDn…" for P-256, "z82…" for P-384
// (compressed points) and "z4MX…" for RSA (PKCS#1 DER).
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	code, raw, err := multikeyBytes(pub)
	if err != nil {
		return "", err
	}
	buf := append(varint.ToUvarint(uint64(code)), raw...)
	return multibase.Encode(multibase.Base58BTC, buf)
}

func multikeyBytes(pub crypto.PublicKey) (multicodec.Code, []byte, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return 0, nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrUnsupportedKey, len(k))
		}
		return multicodec.Ed25519Pub, []byte(k), nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return multicodec.P256Pub, compressPoint(k), nil
		case elliptic.P384():
			return multicodec.P384Pub, compressPoint(k), nil
		}
		return 0, nil, fmt.Errorf("%w: ECDSA curve %s", ErrUnsupportedKey, k.Curve.Params().Name)
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return 0, nil, fmt.Errorf("%w: RSA key of %d bits (minimum 2048)", ErrUnsupportedKey, k.N.BitLen())
		}
		return multicodec.RsaPub, x509.MarshalPKCS1PublicKey(k), nil
	}
	return 0, nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

func compressPoint(k *ecdsa.PublicKey) []byte {
	uncompressed, err := k.Bytes()
	if err != nil {
		panic("did: ECDSA key not on its curve: " + err.Error())
	}
	size := (len(uncompressed) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 2 | uncompressed[len(uncompressed)-1]&1
	copy(out[1:], uncompressed[1:1+size])
	return out
}

// DecodeMultikey parses a publicKeyMultibase value. Only base58btc ("z") is accepted,
// as the Multikey specification requires, and the key must be well formed: points on
// the curve, exact lengths, RSA of at least 2048 bits.
func DecodeMultikey(s string) (crypto.PublicKey, error) {
	if len(s) < 2 || s[0] != 'z' {
		return nil, fmt.Errorf("%w: not base58btc multibase", ErrInvalidMultikey)
	}
	_, data, err := multibase.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMultikey, err)
	}
	code, n, err := varint.FromUvarint(data)
	if err != nil {
		return nil, fmt.Errorf("%w: bad multicodec prefix", ErrInvalidMultikey)
	}
	return publicKeyFromMulticodec(multicodec.Code(code), data[n:])
}

func publicKeyFromMulticodec(code multicodec.Code, raw []byte) (crypto.PublicKey, error) {
	switch code {
	case multicodec.Ed25519Pub:
		if len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrInvalidMultikey, len(raw))
		}
		return ed25519.PublicKey(append([]byte(nil), raw...)), nil
	case multicodec.P256Pub:
		return decompressPoint(elliptic.P256(), raw)
	case multicodec.P384Pub:
		return decompressPoint(elliptic.P384(), raw)
	case multicodec.RsaPub:
		k, err := x509.ParsePKCS1PublicKey(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: RSA: %v", ErrInvalidMultikey, err)
		}
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("%w: RSA key of %d bits (minimum 2048)", ErrUnsupportedKey, k.N.BitLen())
		}
		return k, nil
	case multicodec.Secp256k1Pub:
		return nil, fmt.Errorf("%w: secp256k1 (no X.509 signature support in Go or common PKI)", ErrUnsupportedKey)
	}
	return nil, fmt.Errorf("%w: multicodec 0x%x", ErrUnsupportedKey, uint64(code))
}

func decompressPoint(curve elliptic.Curve, raw []byte) (crypto.PublicKey, error) {
	size := (curve.Params().BitSize + 7) / 8
	if len(raw) != 1+size || (raw[0] != 2 && raw[0] != 3) {
		return nil, fmt.Errorf("%w: %s point must be %d-byte compressed", ErrInvalidMultikey, curve.Params().Name, 1+size)
	}
	x, y := elliptic.UnmarshalCompressed(curve, raw)
	if x == nil {
		return nil, fmt.Errorf("%w: %s point not on curve", ErrInvalidMultikey, curve.Params().Name)
	}
	uncompressed := make([]byte, 1+2*size)
	uncompressed[0] = 4
	x.FillBytes(uncompressed[1 : 1+size])
	y.FillBytes(uncompressed[1+size:])
	k, err := ecdsa.ParseUncompressedPublicKey(curve, uncompressed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMultikey, err)
	}
	return k, nil
}
