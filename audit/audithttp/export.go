package audithttp

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
)

// export serves a bundle of the entries from ≤ index < to with their proofs in
// the latest checkpoint, and a consistency proof from since when it is given.
func (h *Handler) export(c *echo.Context) error {
	from, _, err := query(c, "from", 0)
	if err != nil {
		return problem(err)
	}
	since, _, err := query(c, "since", 0)
	if err != nil {
		return problem(err)
	}
	ctx := c.Request().Context()
	var body []byte
	err = h.store.View(ctx, func(r audit.Reader) error {
		cp, err := h.published(ctx, r)
		if err != nil {
			return err
		}
		to, given, err := query(c, "to", min(cp.Size, from+uint64(h.cfg.MaxPage)))
		switch {
		case err != nil:
			return err
		case given && to == 0:
			return fmt.Errorf("%w: to must be at least 1", ErrBadParameter)
		case from > to:
			return fmt.Errorf("%w: from %d is after to %d", ErrBadParameter, from, to)
		case to-from > uint64(h.cfg.MaxPage):
			return fmt.Errorf("%w: more than %d entries asked", ErrBadParameter, h.cfg.MaxPage)
		}
		b, err := h.cp.Export(ctx, r, audit.ExportRequest{From: from, To: to, Since: since})
		if err != nil {
			return err
		}
		body, err = b.Marshal()
		return err
	})
	if err != nil {
		return problem(err)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/json", body)
}
