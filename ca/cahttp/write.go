package cahttp

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/ca"
)

// issuedBody answers enrolment and renewal.
type issuedBody struct {
	DID          string    `json:"did"`
	SerialNumber string    `json:"serialNumber"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	VersionID    int64     `json:"versionId"`
	Chain        string    `json:"chain"` // PEM, the certificate first
}

// issued answers an issuing call of the CA with the issued certificate.
func issued(i *ca.Issued, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return issuedBody{
		DID: i.ID.String(), SerialNumber: i.Certificate.SerialNumber.Text(16),
		NotBefore: i.Certificate.NotBefore, NotAfter: i.Certificate.NotAfter,
		VersionID: i.VersionID, Chain: string(i.PEM()),
	}, nil
}

// writeBody runs what every write endpoint shares once the principal p is authorised: it
// holds the request's Idempotency-Key for p's tenant, decodes the JSON body into a B (an
// empty body is a zero B when optional), calls do, maps its error to a problem and responds
// with status and do's answer (nil: no body), recording the response for the key.
func writeBody[B any](h *Handler, c *echo.Context, p Principal, optional bool, status int, do func(context.Context, B) (any, error)) error {
	k, done, err := h.idempotent(c, p.Tenant)
	if done || err != nil {
		return err
	}
	defer k.done()
	var b B
	if err := h.decode(c, &b, optional); err != nil {
		return err
	}
	v, err := do(c.Request().Context(), b)
	if err != nil {
		return problem(err)
	}
	return h.respond(c, k, status, v)
}

// ownerRequest is a request body that makes the CA's request R for an owner and a tenant.
type ownerRequest[R any] interface {
	request(owner, tenant string) (R, error)
}

// ownerWrite serves a write endpoint under /ca/owners/{owner}: it authorises action for the
// owner, then, through writeBody, decodes a B, makes the CA's request from it and calls call.
func ownerWrite[B ownerRequest[R], R any](h *Handler, c *echo.Context, action Action, status int, call func(context.Context, R) (any, error)) error {
	owner, err := param(c, "owner")
	if err != nil {
		return err
	}
	p, err := h.authorize(c, owner, action)
	if err != nil {
		return err
	}
	return writeBody(h, c, p, false, status, func(ctx context.Context, b B) (any, error) {
		req, err := b.request(owner, p.Tenant)
		if err != nil {
			return nil, err
		}
		return call(ctx, req)
	})
}

func (h *Handler) enroll(c *echo.Context) error {
	return ownerWrite[enrollBody](h, c, ActionEnroll, http.StatusCreated, func(ctx context.Context, r ca.EnrollRequest) (any, error) {
		return issued(h.ca.Enroll(ctx, r))
	})
}

func (h *Handler) renew(c *echo.Context) error {
	return ownerWrite[renewBody](h, c, ActionRenew, http.StatusCreated, func(ctx context.Context, r ca.RenewRequest) (any, error) {
		return issued(h.ca.Renew(ctx, r))
	})
}

func (h *Handler) revoke(c *echo.Context) error {
	return ownerWrite[revokeBody](h, c, ActionRevoke, http.StatusNoContent, func(ctx context.Context, r ca.RevokeRequest) (any, error) {
		return nil, h.ca.Revoke(ctx, r)
	})
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
	p, err := h.authorizeOwnersOf(c, did)
	if err != nil {
		return err
	}
	return writeBody(h, c, p, true, http.StatusNoContent, func(ctx context.Context, b revokeBody) (any, error) {
		reason, err := ca.ParseReason(b.Reason)
		if err != nil {
			return nil, err
		}
		return nil, h.ca.Deactivate(ctx, ca.DeactivateRequest{DID: did, Tenant: p.Tenant, Reason: reason})
	})
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
	return writeBody(h, c, p, false, http.StatusCreated, func(ctx context.Context, b publishBody) (any, error) {
		chain, err := ca.ParseChainPEM([]byte(b.Chain))
		if err != nil {
			return nil, err
		}
		pub, err := h.ca.Publish(ctx, ca.PublishRequest{Chain: chain})
		if err != nil {
			return nil, err
		}
		return publishedBody{DID: pub.ID.String(), IssuerID: pub.IssuerID, VersionID: pub.VersionID}, nil
	})
}
