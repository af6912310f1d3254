package resolverhttp

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
)

// identifiersPost serves POST /1.0/identifiers/{did-or-did-url}, the POST form of
// the binding (§ 12.1, "For the HTTP(S) POST binding"): the DID or DID URL in the
// path as for GET, and the resolution or dereferencing options other than accept
// "as a JSON structure in the HTTP request's POST body". The answer is the one GET
// gives for the same options.
func (h *Handler) identifiersPost(c *echo.Context) error {
	req, err := parseRequest(c.Request(), &h.cfg)
	if err == nil {
		err = req.readBody(c.Request(), h.cfg.MaxOptionsBytes)
	}
	return h.answer(c, req, err)
}

// Body media types of the POST form: JSON, and the two that the binding's OpenAPI
// description gives the request body of a resolution and of a dereferencing.
var postTypes = map[string]bool{"application/json": true, MediaTypeResolution: true, MediaTypeDereferencing: true}

// bodyError is an error of the POST body with its own HTTP status (413, 415); it
// wraps did.ErrInvalidOptions, the error type of the result.
type bodyError struct {
	status int
	err    error
}

func (e *bodyError) Error() string { return e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// readBody reads the options of a POST request: an empty body, or a JSON object of
// at most max bytes. Options given both in an encoded identifier's query and in the
// body are refused, since neither form says which wins.
func (req *request) readBody(r *http.Request, max int) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	var tooLong *http.MaxBytesError
	if errors.As(err, &tooLong) { // the server's own body limit cut it
		return &bodyError{http.StatusRequestEntityTooLarge,
			fmt.Errorf("%w: request body longer than %d bytes", did.ErrInvalidOptions, tooLong.Limit)}
	}
	if err != nil {
		return fmt.Errorf("%w: reading the request body: %w", did.ErrInvalidOptions, err)
	}
	if len(b) > max {
		return &bodyError{http.StatusRequestEntityTooLarge,
			fmt.Errorf("%w: request body longer than %d bytes", did.ErrInvalidOptions, max)}
	}
	if len(b) == 0 {
		return nil
	}
	// A body without a type is refused too: RFC 9110 § 8.3 lets a recipient take it
	// as application/octet-stream, which this endpoint does not read.
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || !postTypes[mt] {
		return &bodyError{http.StatusUnsupportedMediaType, fmt.Errorf(
			"%w: request body of type %q; want application/json, %s or %s",
			did.ErrInvalidOptions, truncate(ct), MediaTypeResolution, MediaTypeDereferencing)}
	}
	if req.optionsSet {
		return fmt.Errorf("%w: options both in the query and in the request body", did.ErrInvalidOptions)
	}
	var obj map[string]jsontext.Value
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("%w: request body is not a JSON object: %w", did.ErrInvalidOptions, err)
	}
	if obj == nil {
		return fmt.Errorf("%w: request body is null, not a JSON object", did.ErrInvalidOptions)
	}
	return req.setOptions(obj)
}

// bodyStatus is the status of a POST body error, or 0 for any other error.
func bodyStatus(err error) int {
	var be *bodyError
	if errors.As(err, &be) {
		return be.status
	}
	return 0
}
