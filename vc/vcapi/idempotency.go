package vcapi

import (
	"errors"
	"fmt"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server/idempotency"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// idempotent reads the request's Idempotency-Key for the caller's tenant (keys are
// scoped per tenant). Without one it returns a nil Idempotency. When the key
// already answered this request it sends the stored response and returns
// done; a key used for another request is answered 422. Otherwise it returns the
// Idempotency that records the response, with status, in the write's transaction.
func (h *Handler) idempotent(c *echo.Context, caller issuer.Caller, status int,
	body func(*issuer.Issued) ([]byte, error)) (rec issuer.Idempotency, done bool, err error) {
	q, ok, err := idempotency.Read(c.Request(), caller.Tenant, h.opts.MaxBody)
	switch {
	case errors.Is(err, idempotency.ErrInvalidKey):
		_, err = idempotency.Respond(c, err)
		return nil, true, err
	case err != nil:
		return nil, true, problem(fmt.Errorf("%w: body: %w", errBadRequest, err))
	case !ok:
		return nil, false, nil
	}
	if err := h.is.IdempotentResponse(c.Request().Context(), q.Tenant, q.Key, q.Hash); err != nil {
		if handled, rerr := idempotency.Respond(c, err); handled {
			return nil, true, rerr
		}
		return nil, true, err
	}
	return func(out *issuer.Issued, now time.Time) (store.Idempotent, error) {
		b, err := body(out)
		return q.Record(status, b, now), err
	}, false, nil
}

// fail maps the error of a write: a key recorded by a concurrent duplicate is
// answered as a replay (or 422), anything else as problem does.
func fail(c *echo.Context, err error) error {
	if errors.Is(err, issuer.ErrIdempotencyKey) {
		if handled, rerr := idempotency.Respond(c, err); handled {
			return rerr
		}
	}
	return problem(err)
}
