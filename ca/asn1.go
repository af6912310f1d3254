package ca

import (
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var errASN1 = errors.New("malformed DER")

// subjectPublicKeyBits returns the bytes of the subjectPublicKey BIT STRING of a
// SubjectPublicKeyInfo, the input of key identifiers (RFC 5280 §4.2.1.2) and of OCSP
// issuerKeyHash (RFC 6960 §4.1.1).
func subjectPublicKeyBits(spki []byte) ([]byte, error) {
	in := cryptobyte.String(spki)
	var seq, alg cryptobyte.String
	var bits asn1.BitString
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() ||
		!seq.ReadASN1(&alg, cbasn1.SEQUENCE) || !seq.ReadASN1BitString(&bits) || !seq.Empty() {
		return nil, errASN1
	}
	return bits.Bytes, nil
}
