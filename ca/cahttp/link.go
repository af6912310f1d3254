package cahttp

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/ca"
)

// linkBody is the JSON body of POST /ca/dids/{did}/link.
type linkBody struct {
	Successor string `json:"successor"` // the new DID
}

// linkedBody answers a link.
type linkedBody struct {
	Predecessor        string    `json:"predecessor"`
	Successor          string    `json:"successor"`
	PredecessorVersion int64     `json:"predecessorVersionId"`
	SuccessorVersion   int64     `json:"successorVersionId"`
	Time               time.Time `json:"time"`
	Record             string    `json:"record"` // the signed link record (canonical JSON)
}

// link records that the body's successor succeeds the DID of the path. Like
// deactivate, it authenticates first (owner ""), then authorises the deactivate
// action for every loaded owner holding the predecessor's owner key and, once the
// body names the successor, for those holding its owner key; the CA then checks
// the tenant against each.
func (h *Handler) link(c *echo.Context) error {
	if _, err := h.authorize(c, "", ActionDeactivate); err != nil {
		return err
	}
	pred, err := param(c, "did")
	if err != nil {
		return err
	}
	p, err := h.authorizeOwnersOf(c, pred)
	if err != nil {
		return err
	}
	return writeBody(h, c, p, false, http.StatusCreated, func(ctx context.Context, b linkBody) (any, error) {
		if b.Successor == "" {
			return nil, fmt.Errorf("%w: successor: missing", ca.ErrInvalidRequest)
		}
		if _, err := h.authorizeOwnersOf(c, b.Successor); err != nil {
			return nil, err
		}
		l, err := h.ca.Link(ctx, ca.LinkRequest{Predecessor: pred, Successor: b.Successor, Tenant: p.Tenant})
		if err != nil {
			return nil, err
		}
		return linkedBody{Predecessor: l.Predecessor, Successor: l.Successor, PredecessorVersion: l.PredecessorVersion,
			SuccessorVersion: l.SuccessorVersion, Time: l.Time, Record: string(l.Record)}, nil
	})
}

// authorizeOwnersOf authorises the deactivate action for every loaded owner holding
// the owner key of did; none is ErrUnknownOwner (404).
func (h *Handler) authorizeOwnersOf(c *echo.Context, did string) (Principal, error) {
	owners, err := h.ca.OwnersOf(did)
	if err != nil {
		return Principal{}, problem(err)
	}
	if len(owners) == 0 {
		return Principal{}, problem(fmt.Errorf("%w: no owner of this CA holds the owner key of %s", ca.ErrUnknownOwner, did))
	}
	var p Principal
	for _, o := range owners {
		if p, err = h.authorize(c, o, ActionDeactivate); err != nil {
			return p, err
		}
	}
	return p, nil
}
