package audithttp

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/server"
)

// ErrBadParameter is returned (as a 400 problem) for a query or path parameter
// that is malformed, missing or combined with one it excludes.
var ErrBadParameter = errors.New("audithttp: bad parameter")

// maxParamLen bounds a numeric parameter: 20 digits hold any uint64.
const maxParamLen = 20

// ParseIndex parses an index or tree size: an unsigned decimal without sign or
// leading zeros, below 2^63.
func ParseIndex(s string) (uint64, error) {
	if len(s) == 0 || len(s) > maxParamLen {
		return 0, fmt.Errorf("%w: %q is not a decimal index", ErrBadParameter, s)
	}
	n, err := strconv.ParseUint(s, 10, 63)
	if err != nil || strconv.FormatUint(n, 10) != s {
		return 0, fmt.Errorf("%w: %q is not a decimal index", ErrBadParameter, s)
	}
	return n, nil
}

// ParseLeafHash parses a leaf hash given as 64 hexadecimal digits (either
// case) or as 43 characters of unpadded base64url (RFC 4648 §5).
func ParseLeafHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	var raw []byte
	var err error
	switch len(s) {
	case hex.EncodedLen(len(h)):
		raw, err = hex.DecodeString(s)
	case base64.RawURLEncoding.EncodedLen(len(h)):
		raw, err = base64.RawURLEncoding.Strict().DecodeString(s)
	default:
		err = errors.New("wrong length")
	}
	if err != nil || len(raw) != len(h) {
		return h, fmt.Errorf("%w: leaf hash %.80q is neither 64 hex digits nor 43 base64url characters", ErrBadParameter, s)
	}
	copy(h[:], raw)
	return h, nil
}

// query reads the optional numeric query parameter name, or def when absent.
func query(c *echo.Context, name string, def uint64) (uint64, bool, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, false, nil
	}
	n, err := ParseIndex(s)
	if err != nil {
		return 0, true, fmt.Errorf("%s: %w", name, err)
	}
	return n, true, nil
}

// requireQuery reads the required numeric query parameter name.
func requireQuery(c *echo.Context, name string) (uint64, error) {
	n, ok, err := query(c, name, 0)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s is required", ErrBadParameter, name)
	}
	return n, err
}

// statuses maps the errors handlers see to HTTP statuses.
var statuses = []struct {
	err    error
	status int
}{
	{ErrBadParameter, http.StatusBadRequest},
	{audit.ErrOutOfRange, http.StatusBadRequest},
	{audit.ErrNotFound, http.StatusNotFound},
}

// problem turns a known error into RFC 9457 problem details; others are left
// to the server's error handler, which answers 500 without detail.
func problem(err error) error {
	for _, s := range statuses {
		if errors.Is(err, s.err) {
			return server.NewProblem(s.status, "", err.Error())
		}
	}
	return err
}
