package revocation

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"
)

// golang.org/x/crypto/ocsp neither sends nonces nor exposes the issuer hashes of a
// response's CertID nor its responseExtensions (its Response.Extensions are the
// singleExtensions of the SingleResponse), so requests are built here and the CertIDs
// and responseExtensions read here; the response is otherwise parsed by that package.

var (
	oidNonce     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2} // id-pkix-ocsp-nonce
	oidOCSPBasic = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}
	hashOIDs     = map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA1:   {1, 3, 14, 3, 2, 26},
		crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
		crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
		crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
	}
)

// nonceSize: RFC 8954 §2.1 bounds the nonce, "Nonce ::= OCTET STRING(SIZE(1..32))";
// requests carry the largest allowed, 32 random octets.
const nonceSize = 32

type certID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

type ocspRequest struct {
	TBSRequest struct {
		RequestList []struct{ Cert certID }
		Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
	}
}

type responseASN1 struct {
	Status asn1.Enumerated
	Bytes  struct {
		Type     asn1.ObjectIdentifier
		Response []byte
	} `asn1:"explicit,tag:0,optional"`
}

type basicResponse struct {
	TBS responseData
}

// responseData is the signed part of a BasicOCSPResponse (RFC 6960 §4.2.1):
//
//	ResponseData ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, responderID ResponderID,
//	                            producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse,
//	                            responseExtensions [1] EXPLICIT Extensions OPTIONAL }
//
// Only the CertIDs of the SingleResponses are read here.
type responseData struct {
	Version     int `asn1:"optional,default:0,explicit,tag:0"`
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []struct{ Cert certID }
	Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

// newCertID returns the CertID of cert under issuer with hash h (RFC 6960 §4.1.1):
// the hashes of the issuer's DER name and of its public key BIT STRING value.
func newCertID(cert, issuer *x509.Certificate, h crypto.Hash) (certID, error) {
	oid, ok := hashOIDs[h]
	if !ok || !h.Available() {
		return certID{}, fmt.Errorf("revocation: unsupported OCSP hash %v", h)
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(issuer.RawSubjectPublicKeyInfo, &spki); err != nil {
		return certID{}, fmt.Errorf("%w: issuer public key: %w", ErrMalformed, err)
	}
	nameHash, keyHash := h.New(), h.New()
	nameHash.Write(issuer.RawSubject)
	keyHash.Write(spki.PublicKey.RightAlign())
	return certID{
		HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue},
		NameHash:      nameHash.Sum(nil), IssuerKeyHash: keyHash.Sum(nil), SerialNumber: cert.SerialNumber,
	}, nil
}

// buildRequest returns a DER OCSPRequest for id and, when withNonce, the nonce it carries.
func buildRequest(id certID, withNonce bool) (der, nonce []byte, err error) {
	var req ocspRequest
	req.TBSRequest.RequestList = []struct{ Cert certID }{{Cert: id}}
	if withNonce {
		nonce = make([]byte, nonceSize)
		rand.Read(nonce)
		req.TBSRequest.Extensions = []pkix.Extension{{Id: oidNonce, Value: mustMarshalOctets(nonce)}}
	}
	der, err = asn1.Marshal(req)
	return der, nonce, err
}

// parseResponseData returns the ResponseData of a successful basic OCSP response. It
// reads the same DER as golang.org/x/crypto/ocsp, whose signature check covers it.
func parseResponseData(der []byte) (*responseData, error) {
	var resp responseASN1
	if rest, err := asn1.Unmarshal(der, &resp); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: OCSP response", ErrMalformed)
	}
	if resp.Status != 0 || !resp.Bytes.Type.Equal(oidOCSPBasic) {
		return nil, fmt.Errorf("%w: OCSP response status %d", ErrMalformed, resp.Status)
	}
	var basic basicResponse
	if _, err := asn1.Unmarshal(resp.Bytes.Response, &basic); err != nil {
		return nil, fmt.Errorf("%w: basic OCSP response", ErrMalformed)
	}
	return &basic.TBS, nil
}

// mustMarshalOctets returns the DER OCTET STRING of b; it cannot fail for a byte slice.
func mustMarshalOctets(b []byte) []byte {
	der, err := asn1.Marshal(b)
	if err != nil {
		panic(err)
	}
	return der
}
