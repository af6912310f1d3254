package ca

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Bounds on OCSP requests.
const (
	MaxOCSPRequest  = 8 << 10 // bytes of a DER OCSPRequest
	MaxOCSPRequests = 8       // CertIDs in one request
	maxNonce        = 32      // RFC 8954 §2.1: Nonce ::= OCTET STRING(SIZE(1..32))
)

var (
	oidNonce  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
	hashByOID = []struct {
		oid  asn1.ObjectIdentifier
		hash crypto.Hash
	}{
		{asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}, crypto.SHA1},
		{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}, crypto.SHA256},
	}
)

// ocspRequest is what the responder reads from an RFC 6960 OCSPRequest. A request
// signature, when present, is not checked: answers are public.
type ocspRequest struct {
	certs []certID
	nonce []byte // the nonce value (the content of the inner OCTET STRING), or nil
}

// certID is one CertID of a request (RFC 6960 §4.1.1).
type certID struct {
	raw      []byte // the DER CertID, echoed in the response
	hash     crypto.Hash
	nameHash []byte
	keyHash  []byte
	serial   *big.Int
}

// parseOCSPRequest reads a DER OCSPRequest:
//
//	OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
//	TBSRequest  ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] EXPLICIT GeneralName OPTIONAL,
//	                           requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
//	Request     ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
func parseOCSPRequest(der []byte) (*ocspRequest, error) {
	if len(der) > MaxOCSPRequest {
		return nil, fmt.Errorf("request of %d bytes", len(der))
	}
	in := cryptobyte.String(der)
	var req, tbs, list cryptobyte.String
	if !in.ReadASN1(&req, cbasn1.SEQUENCE) || !in.Empty() || !req.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!req.SkipOptionalASN1(cbasn1.Tag(0).ContextSpecific().Constructed()) || !req.Empty() {
		return nil, errASN1
	}
	var version int64
	var hasVersion bool
	var versionField cryptobyte.String
	if !tbs.ReadOptionalASN1(&versionField, &hasVersion, cbasn1.Tag(0).ContextSpecific().Constructed()) ||
		(hasVersion && (!versionField.ReadASN1Integer(&version) || version != 0)) ||
		!tbs.SkipOptionalASN1(cbasn1.Tag(1).ContextSpecific().Constructed()) ||
		!tbs.ReadASN1(&list, cbasn1.SEQUENCE) {
		return nil, errASN1
	}
	out := &ocspRequest{}
	for !list.Empty() {
		id, err := readRequest(&list)
		if err != nil {
			return nil, err
		}
		out.certs = append(out.certs, id)
	}
	if len(out.certs) == 0 || len(out.certs) > MaxOCSPRequests {
		return nil, fmt.Errorf("%d CertIDs", len(out.certs))
	}
	exts, err := readExtensions(&tbs, 2)
	if err != nil || !tbs.Empty() {
		return nil, errASN1
	}
	out.nonce, err = nonceOf(exts)
	return out, err
}

func readRequest(list *cryptobyte.String) (certID, error) {
	var r cryptobyte.String
	if !list.ReadASN1(&r, cbasn1.SEQUENCE) {
		return certID{}, errASN1
	}
	id, err := readCertID(&r)
	if err != nil {
		return certID{}, err
	}
	exts, err := readExtensions(&r, 0)
	if err != nil || !r.Empty() {
		return certID{}, errASN1
	}
	for _, e := range exts {
		if e.Critical {
			return certID{}, fmt.Errorf("unsupported critical extension %v", e.Id)
		}
	}
	return id, nil
}

func readCertID(r *cryptobyte.String) (certID, error) {
	var raw, elem, body, alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	id := certID{serial: new(big.Int)}
	if !r.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return id, errASN1
	}
	elem = raw
	if !elem.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!alg.ReadASN1ObjectIdentifier(&oid) ||
		!body.ReadASN1Bytes(&id.nameHash, cbasn1.OCTET_STRING) ||
		!body.ReadASN1Bytes(&id.keyHash, cbasn1.OCTET_STRING) ||
		!body.ReadASN1Integer(id.serial) || !body.Empty() {
		return id, errASN1
	}
	// The parameters are NULL or absent (RFC 5754 §2 allows both for SHA-2).
	if !alg.Empty() && (!alg.SkipASN1(cbasn1.NULL) || !alg.Empty()) {
		return id, errASN1
	}
	id.raw = raw
	for _, h := range hashByOID {
		if h.oid.Equal(oid) {
			id.hash = h.hash
		}
	}
	if id.hash == 0 {
		return id, fmt.Errorf("unsupported CertID hash %v", oid)
	}
	if len(id.nameHash) != id.hash.Size() || len(id.keyHash) != id.hash.Size() || id.serial.Sign() <= 0 {
		return id, errASN1
	}
	return id, nil
}

type extension struct {
	Id       asn1.ObjectIdentifier
	Critical bool
	Value    []byte
}

// readExtensions reads an optional [tag] EXPLICIT Extensions.
func readExtensions(s *cryptobyte.String, tag uint8) ([]extension, error) {
	var wrapped, seq cryptobyte.String
	var present bool
	if !s.ReadOptionalASN1(&wrapped, &present, cbasn1.Tag(tag).ContextSpecific().Constructed()) {
		return nil, errASN1
	}
	if !present {
		return nil, nil
	}
	if !wrapped.ReadASN1(&seq, cbasn1.SEQUENCE) || !wrapped.Empty() || seq.Empty() {
		return nil, errASN1
	}
	var out []extension
	for !seq.Empty() {
		var e cryptobyte.String
		var ext extension
		if !seq.ReadASN1(&e, cbasn1.SEQUENCE) || !e.ReadASN1ObjectIdentifier(&ext.Id) ||
			!e.ReadOptionalASN1Boolean(&ext.Critical, cbasn1.BOOLEAN, false) ||
			!e.ReadASN1Bytes(&ext.Value, cbasn1.OCTET_STRING) || !e.Empty() {
			return nil, errASN1
		}
		out = append(out, ext)
	}
	return out, nil
}

// nonceOf returns the nonce of the request extensions. RFC 8954 §2.1: "A server MUST
// reject any OCSP request that has a nonce in the Nonce extension with a length of
// either 0 octets or more than 32 octets with the malformedRequest
// OCSPResponseStatus".
func nonceOf(exts []extension) ([]byte, error) {
	var nonce []byte
	for _, e := range exts {
		switch {
		case e.Id.Equal(oidNonce):
			if nonce != nil {
				return nil, fmt.Errorf("two nonces")
			}
			v := cryptobyte.String(e.Value)
			if !v.ReadASN1Bytes(&nonce, cbasn1.OCTET_STRING) || !v.Empty() {
				return nil, errASN1
			}
			if len(nonce) == 0 || len(nonce) > maxNonce {
				return nil, fmt.Errorf("nonce of %d octets", len(nonce))
			}
		case e.Critical:
			return nil, fmt.Errorf("unsupported critical extension %v", e.Id)
		}
	}
	return nonce, nil
}
