package vcapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/internal/accept"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// updateStatusRequest is VCALM UpdateCredentialStatusRequest.
type updateStatusRequest struct {
	CredentialID     string `json:"credentialId"`
	CredentialStatus struct {
		Type          string `json:"type"`
		StatusPurpose string `json:"statusPurpose"`
	} `json:"credentialStatus"`
	Status *bool `json:"status"`
}

// statusTypes are the credentialStatus types a request may name: the entry type, and the
// list type that the VCALM example uses.
var statusTypes = map[string]bool{status.EntryType: true, status.ListType: true}

// updateStatus serves POST /credentials/status: 200 with the request echoed once the status
// is set.
func (h *Handler) updateStatus(c *echo.Context) error {
	caller, err := h.authorize(c, ActionStatus)
	if err != nil {
		return err
	}
	var req updateStatusRequest
	idem, done, err := h.idempotent(c, caller, http.StatusOK, func(*issuer.Issued) ([]byte, error) {
		return json.Marshal(req)
	})
	if done || err != nil {
		return err
	}
	if err := h.decode(c, &req); err != nil {
		return err
	}
	p := status.Purpose(req.CredentialStatus.StatusPurpose)
	switch {
	case req.CredentialID == "" || req.Status == nil:
		return problem(fmt.Errorf("%w: credentialId and status are required", errBadRequest))
	case !statusTypes[req.CredentialStatus.Type]:
		return problem(fmt.Errorf("%w: credentialStatus type must be %s", errBadRequest, status.EntryType))
	case p != status.Revocation && p != status.Suspension:
		return problem(fmt.Errorf("%w: statusPurpose must be revocation or suspension", errBadRequest))
	}
	err = h.is.ChangeStatus(c.Request().Context(), issuer.StatusChange{CredentialID: req.CredentialID, Purpose: p,
		Set: *req.Status, Caller: caller, Idempotency: idem})
	if err != nil {
		return fail(c, err)
	}
	return writeJSON(c, http.StatusOK, req)
}

// statusList serves GET /status/{instance}/{purpose}/{list}: the signed status list
// credential, public, cached for its ttl.
func (h *Handler) statusList(c *echo.Context) error {
	inst, err1 := url.PathUnescape(c.Param("instance"))
	purpose, err2 := url.PathUnescape(c.Param("purpose"))
	id, err3 := url.PathUnescape(c.Param("list"))
	if err1 != nil || err2 != nil || err3 != nil {
		return problem(fmt.Errorf("%w: path", errBadRequest))
	}
	l, err := h.is.StatusListCredential(c.Request().Context(), inst, status.Purpose(purpose), id)
	if err != nil {
		return problem(err)
	}
	c.Response().Header().Set("Cache-Control", status.CacheControl(l.TTL))
	c.Response().Header().Set("Vary", "Accept")
	return c.Blob(http.StatusOK, statusListType(c.Request().Header.Get("Accept")), l.Body)
}

// statusListType is the Content-Type of a status list credential: application/vc, or
// the JSON-LD or JSON type a client asks for instead (a JSON-LD document loader that
// reads only JSON types). The bytes are the same: a credential with an embedded proof
// is a JSON-LD document.
func statusListType(value string) string {
	best, bestQ := mediaTypeVC, 0.0
	for _, r := range accept.Parse(value) {
		switch r.MediaType {
		case mediaTypeVC, "application/ld+json", "application/json":
			if r.Q > bestQ {
				best, bestQ = r.MediaType, r.Q
			}
		}
	}
	return best
}

// mediaTypeVC is the media type of a credential secured with an embedded proof (VC Data Model
// 2.0 §6.3: "application/vc").
const mediaTypeVC = "application/vc"
