package cahttp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/ca"
)

// Media types of the read endpoints.
const (
	mediaChain        = "application/pem-certificate-chain" // RFC 8555 §9.1
	mediaCert         = "application/pkix-cert"             // RFC 2585 §4.1
	mediaCRL          = "application/pkix-crl"              // RFC 2585 §4.2
	mediaPEM          = "application/x-pem-file"
	mediaOCSPRequest  = "application/ocsp-request"  // RFC 6960 Appendix C.1
	mediaOCSPResponse = "application/ocsp-response" // RFC 6960 Appendix C.2
)

func (h *Handler) owner(c *echo.Context) error {
	id, err := param(c, "owner")
	if err != nil {
		return err
	}
	info, err := h.ca.Owner(id)
	if err != nil {
		return problem(err)
	}
	return c.Blob(http.StatusOK, mediaChain, info.PEM())
}

// ownerDER serves the owner CA certificate alone, in DER: the caIssuers access
// location of agent certificates.
func (h *Handler) ownerDER(c *echo.Context) error {
	id, err := param(c, "owner")
	if err != nil {
		return err
	}
	info, err := h.ca.Owner(id)
	if err != nil {
		return problem(err)
	}
	return c.Blob(http.StatusOK, mediaCert, info.Certificate.Raw)
}

func (h *Handler) crl(c *echo.Context) error    { return h.serveCRL(c, false) }
func (h *Handler) crlPEM(c *echo.Context) error { return h.serveCRL(c, true) }

// serveCRL sends the owner's CRL, cacheable until its nextUpdate.
func (h *Handler) serveCRL(c *echo.Context, asPEM bool) error {
	id, err := param(c, "owner")
	if err != nil {
		return err
	}
	crl, err := h.ca.CRL(c.Request().Context(), id)
	if err != nil {
		return problem(err)
	}
	h.setCaching(c, crl.ThisUpdate, crl.NextUpdate)
	if asPEM {
		return c.Blob(http.StatusOK, mediaPEM, crl.PEM())
	}
	return c.Blob(http.StatusOK, mediaCRL, crl.DER)
}

// ocspPost answers an RFC 6960 Appendix A.1 POST request.
func (h *Handler) ocspPost(c *echo.Context) error {
	if ct := c.Request().Header.Get("Content-Type"); !strings.EqualFold(strings.TrimSpace(strings.Split(ct, ";")[0]), mediaOCSPRequest) {
		return problem(fmt.Errorf("%w: Content-Type must be %s", errUnsupportedMedia, mediaOCSPRequest))
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, ca.MaxOCSPRequest+1))
	if err != nil {
		return problem(fmt.Errorf("%w: reading the request: %w", ca.ErrInvalidRequest, err))
	}
	return h.answerOCSP(c, body)
}

// ocspGet answers an RFC 6960 Appendix A.1 GET request: the path ends with the
// URL-encoded base64 of the DER request (which may contain "/").
func (h *Handler) ocspGet(c *echo.Context) error {
	raw := c.Request().URL.EscapedPath()
	if i := strings.Index(raw, "/ocsp/"); i >= 0 {
		raw = raw[i+len("/ocsp/"):]
	}
	if len(raw) > 3*base64.StdEncoding.EncodedLen(ca.MaxOCSPRequest) {
		return h.answerOCSP(c, nil)
	}
	b64, err := url.PathUnescape(raw)
	if err != nil {
		return h.answerOCSP(c, nil)
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		der = nil // answered malformedRequest
	}
	return h.answerOCSP(c, der)
}

// answerOCSP sends the responder's answer with status 200, whatever its
// responseStatus; cacheable answers carry RFC 5019 §6.2 caching headers.
func (h *Handler) answerOCSP(c *echo.Context, der []byte) error {
	id, err := param(c, "owner")
	if err != nil {
		return err
	}
	resp, err := h.ca.OCSP(c.Request().Context(), id, der)
	if err != nil {
		h.opts.Logger.Error("OCSP responder", "owner", id, "error", err)
	}
	if resp.Cacheable {
		h.setCaching(c, resp.ThisUpdate, resp.NextUpdate)
	} else {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return c.Blob(http.StatusOK, mediaOCSPResponse, resp.DER)
}

var errUnsupportedMedia = errors.New("cahttp: unsupported media type")
