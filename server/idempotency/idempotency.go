// Package idempotency makes POST handlers fault-tolerant with the Idempotency-Key
// request header (draft-ietf-httpapi-idempotency-key-header): a client that
// retries a write with the same key and the same request gets the first response
// again, marked Idempotent-Replayed: true, instead of a second write.
//
// A handler, once it knows the caller's tenant:
//
//   - calls [Read] to get the key and the request hash (it reads and puts back the
//     body), then [Request.Lookup] against a store.IdempotencyReader;
//   - when Lookup (or the write) fails, calls [Respond], which sends the stored
//     response of a replay, or the 422 problem of a key reused for another request;
//   - otherwise performs the write and records [Request.Record] with
//     store.IdempotencyTx.PutIdempotent, in the write's transaction when it can.
//
// Keys are scoped per tenant and live [TTL].
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

const (
	// Header is the request header that carries the key.
	Header = "Idempotency-Key"
	// ReplayedHeader marks a response sent again for a repeated request.
	ReplayedHeader = "Idempotent-Replayed"
	// MaxKeyLen bounds a key, in bytes.
	MaxKeyLen = 255
	// TTL is how long a key is remembered.
	TTL = 24 * time.Hour
	// NoTenant is the key scope of callers that act for no single tenant (an
	// operator); Read uses it for tenant "".
	NoTenant = "*"
)

// ErrInvalidKey: the Idempotency-Key header is not a key this service accepts.
var ErrInvalidKey = errors.New("idempotency: invalid Idempotency-Key header")

// Request is a write request made with an Idempotency-Key.
type Request struct {
	Tenant string
	Key    string
	// Hash is SHA-256 over the method, the escaped path and the body, each
	// followed by a NUL so that no two requests share an encoding.
	Hash [sha256.Size]byte
}

// Read returns the idempotency request of r for tenant (NoTenant when ""); ok is
// false when r has no Idempotency-Key header. It reads at most maxBody+1 bytes of the body and puts
// what it read back, so that the handler's own bounded decoder sees the same
// bytes (and still refuses a body that is too large). Errors wrap ErrInvalidKey,
// or are those of reading the body.
func Read(r *http.Request, tenant string, maxBody int64) (q Request, ok bool, err error) {
	values := r.Header.Values(Header)
	if len(values) == 0 {
		return Request{}, false, nil
	}
	if len(values) > 1 {
		return Request{}, true, fmt.Errorf("%w: more than one", ErrInvalidKey)
	}
	key, err := ParseKey(values[0])
	if err != nil {
		return Request{}, true, err
	}
	var body []byte
	if r.Body != nil {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return Request{}, true, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(r.Method), []byte(r.URL.EscapedPath()), body} {
		h.Write(part)
		h.Write([]byte{0})
	}
	if tenant == "" {
		tenant = NoTenant
	}
	q = Request{Tenant: tenant, Key: key}
	h.Sum(q.Hash[:0])
	return q, true, nil
}

// ParseKey reads a header value: the draft makes the key a Structured Field String
// ("Idempotency-Key is an Item Structured Header [RFC8941]. Its value MUST be a
// String."), so a quoted string is unescaped; a bare value, as many clients send,
// is taken as it is. The key must be 1 to MaxKeyLen printable ASCII characters.
func ParseKey(v string) (string, error) {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		var b strings.Builder
		for i := 1; i < len(v)-1; i++ {
			c := v[i]
			switch {
			case c == '\\' && i+2 < len(v) && (v[i+1] == '"' || v[i+1] == '\\'):
				i++
				c = v[i]
			case c == '\\' || c == '"':
				return "", fmt.Errorf("%w: not a valid quoted string", ErrInvalidKey)
			}
			b.WriteByte(c)
		}
		v = b.String()
	}
	if v == "" || len(v) > MaxKeyLen {
		return "", fmt.Errorf("%w: must have 1 to %d characters", ErrInvalidKey, MaxKeyLen)
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return "", fmt.Errorf("%w: must be printable ASCII", ErrInvalidKey)
		}
	}
	return v, nil
}

// Lookup asks rd about the key at now: nil when it is unused (or expired), a
// *store.ReplayError carrying the stored response, or an error wrapping
// store.ErrConflict when the key was used for another request.
func (q Request) Lookup(ctx context.Context, rd store.IdempotencyReader, now time.Time) error {
	err := rd.IdempotentResponse(ctx, q.Tenant, q.Key, q.Hash, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// Record returns the record of the response to store at now: it expires after TTL.
func (q Request) Record(status int, body []byte, now time.Time) store.Idempotent {
	return store.Idempotent{TenantID: q.Tenant, Key: q.Key, RequestHash: q.Hash, Status: status, Body: body,
		Created: now, Expires: now.Add(TTL)}
}

// Respond answers err when it concerns the key: a replay sends the stored
// response with Idempotent-Replayed: true, a conflict becomes a 422 problem, and
// an invalid key a 400 problem. handled is false for any other error, which the
// caller maps as usual.
func Respond(c *echo.Context, err error) (handled bool, _ error) {
	var re *store.ReplayError
	switch {
	case errors.As(err, &re):
		c.Response().Header().Set(ReplayedHeader, "true")
		if len(re.Stored.Body) == 0 {
			return true, c.NoContent(re.Stored.Status)
		}
		return true, c.Blob(re.Stored.Status, "application/json", re.Stored.Body)
	case errors.Is(err, store.ErrConflict):
		return true, server.NewProblem(http.StatusUnprocessableEntity, "",
			"the Idempotency-Key was already used for another request")
	case errors.Is(err, ErrInvalidKey):
		return true, server.NewProblem(http.StatusBadRequest, "", err.Error())
	}
	return false, nil
}
