package ca

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"time"
)

// OCSPResponseStatus values (RFC 6960 §4.2.1) of unsuccessful responses.
const (
	statusMalformedRequest = 1
	statusInternalError    = 2
	statusUnauthorized     = 6
)

var (
	oidOCSPBasic       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

// errorResponse is an OCSPResponse without responseBytes:
// SEQUENCE { ENUMERATED status }.
func errorResponse(status byte) []byte {
	return []byte{0x30, 0x03, 0x0a, 0x01, status}
}

type ocspResponseASN1 struct {
	Status asn1.Enumerated
	Bytes  responseBytes `asn1:"explicit,tag:0"`
}

type responseBytes struct {
	Type     asn1.ObjectIdentifier
	Response []byte
}

type basicResponse struct {
	TBS       asn1.RawValue
	Algorithm pkix.AlgorithmIdentifier
	Signature asn1.BitString
	Certs     []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

// responseData omits version, whose only value v1 is the DEFAULT.
type responseData struct {
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []singleResponse
	Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

type singleResponse struct {
	CertID     asn1.RawValue
	Status     asn1.RawValue
	ThisUpdate time.Time `asn1:"generalized"`
	NextUpdate time.Time `asn1:"generalized,explicit,tag:0"`
}

type revokedInfo struct {
	RevocationTime time.Time       `asn1:"generalized"`
	Reason         asn1.Enumerated `asn1:"explicit,tag:0,optional"`
}

// answer is the status of one CertID.
type answer struct {
	id        certID
	status    int // 0 good, 1 revoked, 2 unknown: the CertStatus CHOICE tag
	revokedAt time.Time
	reason    int
}

// certStatus encodes the CertStatus CHOICE: good [0] IMPLICIT NULL, revoked [1]
// IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL.
func (a answer) certStatus() (asn1.RawValue, error) {
	if a.status != 1 {
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: a.status}, nil
	}
	// A zero Reason (unspecified) is left out, as in CRL entries (RFC 5280 §5.3.1).
	info := revokedInfo{RevocationTime: a.revokedAt.UTC().Truncate(time.Second), Reason: asn1.Enumerated(a.reason)}
	return marshalRaw(info, "tag:1")
}

func marshalRaw(v any, params string) (asn1.RawValue, error) {
	der, err := asn1.MarshalWithParams(v, params)
	return asn1.RawValue{FullBytes: der}, err
}

// signResponse builds and signs a successful basic OCSP response (RFC 6960 §4.2.1)
// with the delegated responder r, whose certificate it includes. nonce, when not
// nil, is echoed in responseExtensions; RFC 8954 §2.1: "The nonce is included as
// one of the requestExtensions in requests; in responses, it would be included as
// one of the responseExtensions."
func signResponse(rand io.Reader, r *responder, answers []answer, nonce []byte, produced, this, next time.Time) ([]byte, error) {
	data := responseData{
		ResponderID: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: r.cert.RawSubject},
		ProducedAt:  produced.UTC().Truncate(time.Second),
	}
	for _, a := range answers {
		status, err := a.certStatus()
		if err != nil {
			return nil, err
		}
		data.Responses = append(data.Responses, singleResponse{
			CertID: asn1.RawValue{FullBytes: a.id.raw}, Status: status,
			ThisUpdate: this.UTC().Truncate(time.Second), NextUpdate: next.UTC().Truncate(time.Second),
		})
	}
	if nonce != nil {
		value, err := asn1.Marshal(nonce)
		if err != nil {
			return nil, err
		}
		data.Extensions = []pkix.Extension{{Id: oidNonce, Value: value}}
	}
	tbs, err := asn1.Marshal(data)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(tbs)
	sig, err := r.key.Sign(rand, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("ca: signing OCSP response: %w", err)
	}
	basic, err := asn1.Marshal(basicResponse{
		TBS:       asn1.RawValue{FullBytes: tbs},
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256},
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
		Certs:     []asn1.RawValue{{FullBytes: r.cert.Raw}},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(ocspResponseASN1{Bytes: responseBytes{Type: oidOCSPBasic, Response: basic}})
}
