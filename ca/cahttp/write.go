package cahttp

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

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

// issuedBody answers enrolment and renewal.
type issuedBody struct {
	DID          string    `json:"did"`
	SerialNumber string    `json:"serialNumber"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	VersionID    int64     `json:"versionId"`
	Chain        string    `json:"chain"` // PEM, the certificate first
}

func issuedJSON(i *ca.Issued) issuedBody {
	return issuedBody{
		DID: i.ID.String(), SerialNumber: i.Certificate.SerialNumber.Text(16),
		NotBefore: i.Certificate.NotBefore, NotAfter: i.Certificate.NotAfter,
		VersionID: i.VersionID, Chain: string(i.PEM()),
	}
}

func (h *Handler) enroll(c *echo.Context) error {
	owner, err := param(c, "owner")
	if err != nil {
		return err
	}
	p, err := h.authorize(c, owner, ActionEnroll)
	if err != nil {
		return err
	}
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b enrollBody
	if err := h.decode(c, &b, false); err != nil {
		return err
	}
	req := ca.EnrollRequest{Owner: owner, Tenant: p.Tenant, CSR: []byte(b.CSR), DID: b.DID, ExtraURIs: b.ExtraURIs,
		Validity: time.Duration(b.ValiditySeconds) * time.Second}
	if req.ModelDigest, err = optionalDigest("modelDigest", b.ModelDigest); err != nil {
		return problem(err)
	}
	if req.PromptDigest, err = optionalDigest("promptDigest", b.PromptDigest); err != nil {
		return problem(err)
	}
	issued, err := h.ca.Enroll(c.Request().Context(), req)
	if err != nil {
		return problem(err)
	}
	return h.respond(c, k, http.StatusCreated, issuedJSON(issued))
}

func (h *Handler) renew(c *echo.Context) error {
	owner, err := param(c, "owner")
	if err != nil {
		return err
	}
	p, err := h.authorize(c, owner, ActionRenew)
	if err != nil {
		return err
	}
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b renewBody
	if err := h.decode(c, &b, false); err != nil {
		return err
	}
	req := ca.RenewRequest{Owner: owner, Tenant: p.Tenant, CSR: []byte(b.CSR), RevokeOld: b.RevokeOld,
		Validity: time.Duration(b.ValiditySeconds) * time.Second}
	if req.Serial, err = serial(b.SerialNumber); err != nil {
		return problem(err)
	}
	if req.Time, err = time.Parse(time.RFC3339, b.Time); err != nil {
		return problem(fmt.Errorf("%w: time: not RFC 3339", ca.ErrInvalidRequest))
	}
	if req.Signature, err = base64.RawURLEncoding.DecodeString(b.Signature); err != nil {
		return problem(fmt.Errorf("%w: signature: not unpadded base64url", ca.ErrInvalidRequest))
	}
	issued, err := h.ca.Renew(c.Request().Context(), req)
	if err != nil {
		return problem(err)
	}
	return h.respond(c, k, http.StatusCreated, issuedJSON(issued))
}

func (h *Handler) revoke(c *echo.Context) error {
	owner, err := param(c, "owner")
	if err != nil {
		return err
	}
	p, err := h.authorize(c, owner, ActionRevoke)
	if err != nil {
		return err
	}
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b revokeBody
	if err := h.decode(c, &b, false); err != nil {
		return err
	}
	req := ca.RevokeRequest{Owner: owner, Tenant: p.Tenant}
	if req.Serial, err = serial(b.SerialNumber); err != nil {
		return problem(err)
	}
	if req.Reason, err = ca.ParseReason(b.Reason); err != nil {
		return problem(err)
	}
	if err := h.ca.Revoke(c.Request().Context(), req); err != nil {
		return problem(err)
	}
	return h.respond(c, k, http.StatusNoContent, nil)
}

// deactivate authenticates the request first (owner ""), then authorises it for
// every loaded owner holding the DID's owner key; the CA then checks the tenant
// against each.
func (h *Handler) deactivate(c *echo.Context) error {
	if _, err := h.authorize(c, "", ActionDeactivate); err != nil {
		return err
	}
	did, err := param(c, "did")
	if err != nil {
		return err
	}
	owners, err := h.ca.OwnersOf(did)
	if err != nil {
		return problem(err)
	}
	if len(owners) == 0 {
		return problem(fmt.Errorf("%w: no owner of this CA holds the DID's owner key", ca.ErrUnknownOwner))
	}
	var p Principal
	for _, o := range owners {
		if p, err = h.authorize(c, o, ActionDeactivate); err != nil {
			return err
		}
	}
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b revokeBody
	if err := h.decode(c, &b, true); err != nil {
		return err
	}
	req := ca.DeactivateRequest{DID: did, Tenant: p.Tenant}
	if req.Reason, err = ca.ParseReason(b.Reason); err != nil {
		return problem(err)
	}
	if err := h.ca.Deactivate(c.Request().Context(), req); err != nil {
		return problem(err)
	}
	return h.respond(c, k, http.StatusNoContent, nil)
}

// publishedBody answers publication.
type publishedBody struct {
	DID       string `json:"did"`
	IssuerID  string `json:"issuerId"`
	VersionID int64  `json:"versionId"`
}

func (h *Handler) publish(c *echo.Context) error {
	p, err := h.authorize(c, "", ActionPublish)
	if err != nil {
		return err
	}
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b publishBody
	if err := h.decode(c, &b, false); err != nil {
		return err
	}
	chain, err := ca.ParseChainPEM([]byte(b.Chain))
	if err != nil {
		return problem(err)
	}
	pub, err := h.ca.Publish(c.Request().Context(), ca.PublishRequest{Chain: chain})
	if err != nil {
		return problem(err)
	}
	return h.respond(c, k, http.StatusCreated, publishedBody{DID: pub.ID.String(), IssuerID: pub.IssuerID, VersionID: pub.VersionID})
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
