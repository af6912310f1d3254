package cahttp

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// enrollBody is the JSON body of POST /ca/owners/{owner}/enroll.
type enrollBody struct {
	CSR             string   `json:"csr"` // PEM CERTIFICATE REQUEST
	DID             string   `json:"did,omitempty"`
	ModelDigest     string   `json:"modelDigest,omitempty"`  // 64 hex digits
	PromptDigest    string   `json:"promptDigest,omitempty"` // 64 hex digits
	ExtraURIs       []string `json:"extraUris,omitempty"`
	ValiditySeconds int64    `json:"validitySeconds,omitempty"`
}

// renewBody is the JSON body of POST /ca/owners/{owner}/renew.
type renewBody struct {
	SerialNumber    string `json:"serialNumber"` // hex, of the current certificate
	CSR             string `json:"csr"`          // PEM
	Time            string `json:"time"`         // RFC 3339
	Signature       string `json:"signature"`    // base64url, unpadded, over ca.RenewalMessage
	RevokeOld       bool   `json:"revokeOld,omitempty"`
	ValiditySeconds int64  `json:"validitySeconds,omitempty"`
}

// revokeBody is the JSON body of POST /ca/owners/{owner}/revoke and (reason only)
// of POST /ca/dids/{did}/deactivate.
type revokeBody struct {
	SerialNumber string `json:"serialNumber,omitempty"`
	Reason       string `json:"reason,omitempty"` // an RFC 5280 CRLReason name
}

// publishBody is the JSON body of POST /ca/publish.
type publishBody struct {
	Chain string `json:"chain"` // PEM, agent certificate first
}

// request checks the body and makes the CA's request for owner and tenant.
func (b enrollBody) request(owner, tenant string) (ca.EnrollRequest, error) {
	req := ca.EnrollRequest{Owner: owner, Tenant: tenant, CSR: []byte(b.CSR), DID: b.DID, ExtraURIs: b.ExtraURIs,
		Validity: time.Duration(b.ValiditySeconds) * time.Second}
	var err error
	if req.ModelDigest, err = optionalDigest("modelDigest", b.ModelDigest); err != nil {
		return req, err
	}
	req.PromptDigest, err = optionalDigest("promptDigest", b.PromptDigest)
	return req, err
}

// request checks the body and makes the CA's request for owner and tenant.
func (b renewBody) request(owner, tenant string) (ca.RenewRequest, error) {
	req := ca.RenewRequest{Owner: owner, Tenant: tenant, CSR: []byte(b.CSR), RevokeOld: b.RevokeOld,
		Validity: time.Duration(b.ValiditySeconds) * time.Second}
	var err error
	if req.Serial, err = serial(b.SerialNumber); err != nil {
		return req, err
	}
	if req.Time, err = time.Parse(time.RFC3339, b.Time); err != nil {
		return req, fmt.Errorf("%w: time: not RFC 3339", ca.ErrInvalidRequest)
	}
	if req.Signature, err = base64.RawURLEncoding.DecodeString(b.Signature); err != nil {
		return req, fmt.Errorf("%w: signature: not unpadded base64url", ca.ErrInvalidRequest)
	}
	return req, nil
}

// request checks the body and makes the CA's request for owner and tenant.
func (b revokeBody) request(owner, tenant string) (ca.RevokeRequest, error) {
	req := ca.RevokeRequest{Owner: owner, Tenant: tenant}
	var err error
	if req.Serial, err = serial(b.SerialNumber); err != nil {
		return req, err
	}
	req.Reason, err = ca.ParseReason(b.Reason)
	return req, err
}

// serial reads a positive hexadecimal serial number of at most 20 octets.
func serial(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok || len(s) > 40 || n.Sign() <= 0 {
		return nil, fmt.Errorf("%w: serialNumber: not a positive hex number of at most 20 octets", ca.ErrInvalidRequest)
	}
	return n, nil
}

func optionalDigest(field, s string) (kakunin.Digest, error) {
	if s == "" {
		return kakunin.Digest{}, nil
	}
	d, err := kakunin.ParseDigest(s)
	if err != nil {
		return d, fmt.Errorf("%w: %s: %w", ca.ErrInvalidRequest, field, err)
	}
	return d, nil
}
