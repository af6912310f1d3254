package ca

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// MaxCSR bounds a certificate request, in bytes of DER (an RSA-8192 request is
// about 1.5 KiB).
const MaxCSR = 16 << 10

// ParseCSR reads a PKCS#10 certificate request in DER or PEM ("CERTIFICATE
// REQUEST") form. It does not check the signature; Enroll does.
func ParseCSR(data []byte) (*x509.CertificateRequest, error) {
	if len(data) > 2*MaxCSR {
		return nil, invalid("csr", fmt.Sprintf("larger than %d bytes", MaxCSR), nil)
	}
	if block, rest := pem.Decode(data); block != nil {
		if block.Type != "CERTIFICATE REQUEST" || len(bytes.TrimSpace(rest)) != 0 {
			return nil, invalid("csr", "PEM is not one CERTIFICATE REQUEST block", nil)
		}
		data = block.Bytes
	}
	if len(data) > MaxCSR {
		return nil, invalid("csr", fmt.Sprintf("larger than %d bytes", MaxCSR), nil)
	}
	csr, err := x509.ParseCertificateRequest(data)
	if err != nil {
		return nil, invalid("csr", "does not parse", err)
	}
	return csr, nil
}

// checkCSR verifies the request's self-signature, which proves that the requester
// holds the private key (RFC 2986 §3), and applies the key-type policy.
func checkCSR(csr *x509.CertificateRequest) error {
	if err := csr.CheckSignature(); err != nil {
		return &RequestError{Field: "csr", Reason: "signature does not verify", Err: ErrProofOfPossession, Cause: err}
	}
	if err := checkKeyType(csr.PublicKey); err != nil {
		return refused("csr", "key type not allowed (Ed25519, ECDSA P-256/P-384, RSA 2048-8192)", err)
	}
	return nil
}
