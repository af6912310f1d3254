//go:build cgo

package keys

import (
	"crypto"
	"crypto/ed25519"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"

	"github.com/miekg/pkcs11"
)

// crypto11 has no EdDSA, so Ed25519 keys on a token are used through miekg/pkcs11 with
// the PKCS#11 3.0 mechanisms: CKM_EC_EDWARDS_KEY_PAIR_GEN to generate a CKK_EC_EDWARDS
// key and CKM_EDDSA without parameters, which is pure Ed25519 (RFC 8032 §5.1).

// ed25519Params are the CKA_EC_PARAMS values naming the Ed25519 curve. PKCS#11 3.0
// §2.3.5 allows the curve OID (id-Ed25519, 1.3.101.112, RFC 8410) or the printable
// string "edwards25519"; tokens differ in which they accept, so generation tries the
// OID first and the name when the token rejects the OID.
var ed25519Params = [][]byte{
	mustDER(asn1.ObjectIdentifier{1, 3, 101, 112}),
	mustDER(asn1.RawValue{Tag: asn1.TagPrintableString, Bytes: []byte("edwards25519")}),
}

func mustDER(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// edSigner returns a signer for the Ed25519 private key handle, reading the public
// key from the matching public key object.
func (t *token) edSigner(priv pkcs11.ObjectHandle, u *PKCS11URI) (Signer, error) {
	var pub ed25519.PublicKey
	err := t.session(false, func(sh pkcs11.SessionHandle) error {
		id, err := t.attribute(sh, priv, pkcs11.CKA_ID)
		if err != nil {
			return t.fail("read key id", err)
		}
		pub, err = t.edPublicKey(sh, u.Object, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t.newEdSigner(u, priv, pub), nil
}

func (t *token) newEdSigner(u *PKCS11URI, priv pkcs11.ObjectHandle, pub ed25519.PublicKey) *hsmSigner {
	s := &hsmSigner{t: t, u: u, alg: Ed25519, pub: pub}
	s.sign = func(_ io.Reader, msg []byte, _ crypto.SignerOpts) ([]byte, error) {
		return t.signEdDSA(priv, msg)
	}
	return s
}

func (t *token) edPublicKey(sh pkcs11.SessionHandle, label string, id []byte) (ed25519.PublicKey, error) {
	tmpl := append(keyTemplate(pkcs11.CKO_PUBLIC_KEY, label, id), pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, ckkECEdwards))
	handles, err := t.find(sh, tmpl)
	if err != nil {
		return nil, err
	}
	if len(handles) != 1 {
		return nil, fmt.Errorf("%w: %s: no single Ed25519 public key beside the private key", ErrKeyNotFound, t.uri)
	}
	point, err := t.attribute(sh, handles[0], pkcs11.CKA_EC_POINT)
	if err != nil {
		return nil, t.fail("read public key", err)
	}
	return parseEdPoint(point)
}

// parseEdPoint decodes CKA_EC_POINT of an Ed25519 key: PKCS#11 3.0 says the raw 32
// bytes, SoftHSM2 and older tokens return them DER-wrapped in an OCTET STRING.
func parseEdPoint(point []byte) (ed25519.PublicKey, error) {
	if len(point) == ed25519.PublicKeySize {
		return ed25519.PublicKey(append([]byte(nil), point...)), nil
	}
	var raw []byte
	rest, err := asn1.Unmarshal(point, &raw)
	if err != nil || len(rest) != 0 || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: CKA_EC_POINT is not an Ed25519 public key", ErrInvalidKey)
	}
	return ed25519.PublicKey(raw), nil
}

func (t *token) signEdDSA(priv pkcs11.ObjectHandle, msg []byte) ([]byte, error) {
	sh, err := t.signingSession()
	if err != nil {
		return nil, err
	}
	sig, err := t.signEdDSAIn(sh, priv, msg)
	t.release(sh, err != nil)
	return sig, err
}

func (t *token) signEdDSAIn(sh pkcs11.SessionHandle, priv pkcs11.ObjectHandle, msg []byte) ([]byte, error) {
	if err := t.raw.SignInit(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(ckmEdDSA, nil)}, priv); err != nil {
		return nil, err
	}
	sig, err := t.raw.Sign(sh, msg)
	if err == nil && len(sig) != ed25519.SignatureSize {
		err = fmt.Errorf("token returned a %d-byte Ed25519 signature", len(sig))
	}
	return sig, err
}

// generateEd25519 generates an Ed25519 key pair on the token; the private key is a
// token object, private, sensitive and never extractable.
func (t *token) generateEd25519(u *PKCS11URI) (Signer, error) {
	var priv pkcs11.ObjectHandle
	var pub ed25519.PublicKey
	err := t.session(true, func(sh pkcs11.SessionHandle) error {
		var pubHandle pkcs11.ObjectHandle
		var err error
		for _, params := range ed25519Params {
			pubHandle, priv, err = t.raw.GenerateKeyPair(sh,
				[]*pkcs11.Mechanism{pkcs11.NewMechanism(ckmECEdwardsKeyPairGen, nil)},
				edPublicTemplate(u, params), edPrivateTemplate(u))
			if !isCurveRejected(err) {
				break
			}
		}
		if err != nil {
			return t.fail("generate Ed25519 key pair", err)
		}
		point, err := t.attribute(sh, pubHandle, pkcs11.CKA_EC_POINT)
		if err != nil {
			return t.fail("read public key", err)
		}
		pub, err = parseEdPoint(point)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t.newEdSigner(u, priv, pub), nil
}

func isCurveRejected(err error) bool {
	for _, rv := range []uint{pkcs11.CKR_CURVE_NOT_SUPPORTED, pkcs11.CKR_DOMAIN_PARAMS_INVALID, pkcs11.CKR_ATTRIBUTE_VALUE_INVALID} {
		if errors.Is(err, pkcs11.Error(rv)) {
			return true
		}
	}
	return false
}

func edPublicTemplate(u *PKCS11URI, params []byte) []*pkcs11.Attribute {
	return append(keyTemplate(pkcs11.CKO_PUBLIC_KEY, u.Object, u.ID),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, ckkECEdwards),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, params),
	)
}

func edPrivateTemplate(u *PKCS11URI) []*pkcs11.Attribute {
	return append(keyTemplate(pkcs11.CKO_PRIVATE_KEY, u.Object, u.ID),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, ckkECEdwards),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
	)
}
