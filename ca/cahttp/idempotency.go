package cahttp

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server/idempotency"
	"github.com/kakunin-dev/kakunin/store"
)

// IdempotencyStore keeps the responses of write requests made with an
// Idempotency-Key; a store.DB of either SQL backend is one.
type IdempotencyStore interface {
	store.IdempotencyReader
	Tx(ctx context.Context, fn func(store.Tx) error) error
}

// keyed is a write request with its idempotency key, or the zero value for a
// request without one.
type keyed struct {
	q       idempotency.Request
	ok      bool
	release func() // frees the key for the next duplicate
}

// done releases the key once the response is recorded.
func (k keyed) done() {
	if k.release != nil {
		k.release()
	}
}

// idempotent reads the request's Idempotency-Key for tenant (keys are scoped per
// tenant; publication, which acts for no owner, uses the token's tenant). A request
// whose key already answered it gets the stored response and done is true; a key
// used for another request is answered 422. Otherwise the key is held, within
// this process, until the caller calls k.done after responding: a duplicate in
// flight waits and is then replayed.
func (h *Handler) idempotent(c *echo.Context, tenant string) (k keyed, done bool, err error) {
	if h.opts.Idempotency == nil {
		return keyed{}, false, nil
	}
	q, ok, err := idempotency.Read(c.Request(), tenant, h.opts.MaxBody)
	switch {
	case errors.Is(err, idempotency.ErrInvalidKey):
		_, err = idempotency.Respond(c, err)
		return keyed{}, true, err
	case err != nil:
		return keyed{}, true, problem(errBadJSON)
	case !ok:
		return keyed{}, false, nil
	}
	unlock := h.locks.Lock(q)
	if err := q.Lookup(c.Request().Context(), h.opts.Idempotency, h.opts.Now()); err != nil {
		unlock()
		if handled, rerr := idempotency.Respond(c, err); handled {
			return keyed{}, true, rerr
		}
		return keyed{}, true, err
	}
	return keyed{q: q, ok: true, release: unlock}, false, nil
}

// respond sends the response of a committed write (v nil: 204 without a body) and
// records it for the request's key.
//
// The CA commits its write in its own transaction, so the record follows in a
// second one: a crash between the two, or a concurrent duplicate sent to another
// process sharing the store, performs the write a second time (duplicates sent to
// this process wait for the key). Enrolment
// then issues a second certificate; revocation and deactivation are idempotent in
// effect. Such a record failure is logged and the committed response still sent.
func (h *Handler) respond(c *echo.Context, k keyed, status int, v any) error {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return err
		}
	}
	if k.ok {
		rec := k.q.Record(status, body, h.opts.Now())
		err := h.opts.Idempotency.Tx(c.Request().Context(), func(tx store.Tx) error {
			it, ok := tx.(store.IdempotencyTx)
			if !ok {
				return store.ErrSchema
			}
			return it.PutIdempotent(c.Request().Context(), rec)
		})
		if err != nil {
			h.opts.Logger.Warn("idempotency key not recorded after the write committed",
				"path", c.Request().URL.Path, "reason", recordFailure(err))
		}
	}
	if body == nil {
		return c.NoContent(status)
	}
	return c.Blob(status, "application/json", body)
}

// recordFailure names why a record failed without the key or stored data.
func recordFailure(err error) string {
	switch {
	case errors.Is(err, store.ErrReplay):
		return "a concurrent duplicate recorded the key first"
	case errors.Is(err, store.ErrConflict):
		return "the key was recorded for another request meanwhile"
	}
	return "store error"
}
