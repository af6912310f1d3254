package cahttp

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// errPeerCertificate: the client certificate is not a good, current agent
// certificate of this owner (wrong chain, expired, revoked), or the request names
// another certificate or DID than the client's own (403).
var errPeerCertificate = fmt.Errorf("%w: client certificate refused", ErrForbidden)

// mtlsRenewBody is the JSON body of POST /ca/owners/{owner}/renew under mutual TLS:
// the body of the signed renewal, optionally naming the DID, which must be the
// client's.
type mtlsRenewBody struct {
	DID             string `json:"did,omitempty"`
	SerialNumber    string `json:"serialNumber"`
	CSR             string `json:"csr"`
	Time            string `json:"time"`
	Signature       string `json:"signature"`
	RevokeOld       bool   `json:"revokeOld,omitempty"`
	ValiditySeconds int64  `json:"validitySeconds,omitempty"`
}

// renewAuthenticated serves POST /ca/owners/{owner}/renew. A request with an
// Authorization header, or without a TLS client certificate, is authorised by the
// Authorizer (renew); one without the header that presents a client certificate is
// the agent renewing itself (renewMTLS).
func (h *Handler) renewAuthenticated(c *echo.Context) error {
	r := c.Request()
	if r.Header.Get("Authorization") == "" && r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return h.renewMTLS(c)
	}
	return h.renew(c)
}

// renewMTLS renews (or rotates) an agent's own certificate, authenticated by that
// certificate as its TLS client certificate instead of a bearer token. The TLS
// layer only requests the certificate and checks the handshake signature
// (possession of its key); this handler verifies it, at the CA's clock, as an agent
// certificate of the DID it names, chained to the owner CA of the URL. The body is
// the signed renewal of the token route, since CA.Renew requires the signature by
// the current key; its serial must be the client certificate's, and the CA refuses
// a revoked or expired current certificate.
func (h *Handler) renewMTLS(c *echo.Context) error {
	owner, err := param(c, "owner")
	if err != nil {
		return err
	}
	leaf, id, err := h.peerAgent(c.Request(), owner)
	if err != nil {
		return problem(err)
	}
	tenant, err := h.ownerTenant(c.Request().Context(), owner)
	if err != nil {
		return problem(err)
	}
	p := Principal{Tenant: tenant}
	return writeBody(h, c, p, false, http.StatusCreated, func(ctx context.Context, b mtlsRenewBody) (any, error) {
		req, err := b.request(owner, tenant, leaf, id)
		if err != nil {
			return nil, err
		}
		i, err := h.ca.Renew(ctx, req)
		return issued(i, peerState(err))
	})
}

// peerAgent returns the client certificate of r and its DID once it verifies as an
// agent certificate chain to owner's CA at the CA's clock. Only the leaf the client
// sent is used: the path above it is the owner's own chain.
func (h *Handler) peerAgent(r *http.Request, owner string) (*x509.Certificate, kakunin.ID, error) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil, kakunin.ID{}, fmt.Errorf("%w: no TLS client certificate", ErrUnauthenticated)
	}
	o, err := h.ca.Owner(owner)
	if err != nil {
		return nil, kakunin.ID{}, err
	}
	leaf := r.TLS.PeerCertificates[0]
	id, err := certificateDID(leaf)
	if err != nil {
		return nil, kakunin.ID{}, err
	}
	chain := append([]*x509.Certificate{leaf}, o.Chain...)
	if _, err := kakunin.VerifyChain(chain, id, kakunin.VerifyOptions{CurrentTime: h.opts.Now()}); err != nil {
		return nil, kakunin.ID{}, fmt.Errorf("%w: %w", errPeerCertificate, err)
	}
	return leaf, id, nil
}

// certificateDID is the did:kakunin among the SAN URIs of cert.
func certificateDID(cert *x509.Certificate) (kakunin.ID, error) {
	for _, u := range cert.URIs {
		if id, err := kakunin.Parse(u.String()); err == nil {
			return id, nil
		}
	}
	return kakunin.ID{}, fmt.Errorf("%w: no did:kakunin subject", errPeerCertificate)
}

// ownerTenant is the tenant owner is recorded with, which an agent of the owner
// acts as ("" for an owner recorded without a tenant).
func (h *Handler) ownerTenant(_ context.Context, owner string) (string, error) {
	info, err := h.ca.Owner(owner)
	if err != nil {
		return "", err
	}
	return info.TenantID, nil
}

// request checks that the body names the client's own certificate and DID and makes
// the CA's request, the DID acting for the owner's tenant.
func (b mtlsRenewBody) request(owner, tenant string, leaf *x509.Certificate, id kakunin.ID) (ca.RenewRequest, error) {
	signed := renewBody{SerialNumber: b.SerialNumber, CSR: b.CSR, Time: b.Time, Signature: b.Signature,
		RevokeOld: b.RevokeOld, ValiditySeconds: b.ValiditySeconds}
	req, err := signed.request(owner, tenant)
	if err != nil {
		return req, err
	}
	if req.Serial.Cmp(leaf.SerialNumber) != 0 {
		return req, fmt.Errorf("%w: serialNumber is not the client certificate's", errPeerCertificate)
	}
	if b.DID != "" && b.DID != id.String() {
		return req, fmt.Errorf("%w: did is not the client certificate's", errPeerCertificate)
	}
	req.Actor = id.String()
	return req, nil
}

// peerState turns the CA's refusal of the current certificate (field "serial":
// revoked or expired in the registry) into errPeerCertificate: the client's own
// certificate no longer authenticates it.
func peerState(err error) error {
	var re *ca.RequestError
	if errors.As(err, &re) && re.Field == "serial" && errors.Is(err, ca.ErrPolicy) {
		return fmt.Errorf("%w: %w", errPeerCertificate, err)
	}
	return err
}
