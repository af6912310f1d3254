package vcapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// updateStatusRequest is VCALM UpdateCredentialStatusRequest, whose members are all
// required. The entry to change is the credential's entry of statusPurpose; VCALM's other
// members (credentialStatus id, statusListIndex and statusListCredential, indexAllocator)
// are refused as unsupported rather than ignored.
type updateStatusRequest struct {
	CredentialID     string `json:"credentialId"`
	CredentialStatus *struct {
		Type          string `json:"type"`
		StatusPurpose string `json:"statusPurpose"`
	} `json:"credentialStatus"`
	Status *bool `json:"status"`
}

// statusTypes are the credentialStatus types a request may name: VCALM's
// UpdateCredentialStatusRequest example names the list type, BitstringStatusList; the entry
// type, BitstringStatusListEntry, is what deployed clients (and the W3C Bitstring Status
// List suite) send.
var statusTypes = map[string]bool{status.ListType: true, status.EntryType: true}

// check validates the request's members.
func (r *updateStatusRequest) check() error {
	switch {
	case r.CredentialID == "":
		return fmt.Errorf("%w: credentialId is required", errBadRequest)
	case r.Status == nil:
		return fmt.Errorf("%w: status is required", errBadRequest)
	case r.CredentialStatus == nil:
		return fmt.Errorf("%w: credentialStatus is required", errBadRequest)
	case !statusTypes[r.CredentialStatus.Type]:
		return fmt.Errorf("%w: credentialStatus type must be %s (or %s)", errBadRequest, status.ListType, status.EntryType)
	}
	if p := status.Purpose(r.CredentialStatus.StatusPurpose); p != status.Revocation && p != status.Suspension {
		return fmt.Errorf("%w: statusPurpose must be revocation or suspension", errBadRequest)
	}
	return nil
}

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
	if err := req.check(); err != nil {
		return problem(err)
	}
	err = h.is.ChangeStatus(c.Request().Context(), issuer.StatusChange{CredentialID: req.CredentialID, Instance: c.Param("instance"),
		Purpose: status.Purpose(req.CredentialStatus.StatusPurpose), Set: *req.Status, Caller: caller, Idempotency: idem})
	if err != nil {
		return fail(c, err)
	}
	return writeJSON(c, http.StatusOK, req)
}
