package vcapi

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/internal/accept"
	"github.com/kakunin-dev/kakunin/internal/httpcond"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// statusList serves GET and HEAD /status/{instance}/{purpose}/{list}: the signed status
// list credential, public, cached for its ttl, with a strong ETag; If-None-Match answers
// 304. HEAD answers the header fields of GET without content (RFC 9110 § 9.3.2).
//
// The service keeps a list's current bits only, so the list "as it existed at" a time
// (Bitstring Status List § 3.2, the timestamp parameter) is answered with the error that
// section allows, a STATUS_RETRIEVAL_ERROR; see pastList.
func (h *Handler) statusList(c *echo.Context) error {
	inst, err1 := url.PathUnescape(c.Param("instance"))
	purpose, err2 := url.PathUnescape(c.Param("purpose"))
	id, err3 := url.PathUnescape(c.Param("list"))
	if err1 != nil || err2 != nil || err3 != nil {
		return problem(fmt.Errorf("%w: path", errBadRequest))
	}
	_, atTime, err := status.RequestedTime(c.Request().URL.Query())
	if err != nil {
		return listProblem(err, http.StatusBadRequest)
	}
	l, err := h.is.StatusListCredential(c.Request().Context(), inst, status.Purpose(purpose), id)
	if err != nil {
		return problem(err)
	}
	if atTime {
		return pastList()
	}
	ctype := statusListType(c.Request().Header.Get("Accept"))
	etag := listETag(ctype, l.Body)
	hd := c.Response().Header()
	hd.Set("Cache-Control", status.CacheControl(l.TTL))
	hd.Set("Vary", "Accept")
	hd.Set("ETag", etag)
	if httpcond.NoneMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if c.Request().Method == http.MethodHead {
		hd.Set("Content-Type", ctype)
		hd.Set("Content-Length", strconv.Itoa(len(l.Body)))
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, ctype, l.Body)
}

// pastList answers a request for a list at a point in time. Bitstring Status List § 3.2:
// "The result of dereferencing such a timestamp-parameterized URL MUST be either a status
// list credential containing the status list as it existed at the given point in time, or
// a STATUS_RETRIEVAL_ERROR". The status is 404: the server has no representation of the
// list at that time (RFC 9110 § 15.5.5), which a retry without the timestamp, as § 3.2
// allows, may get; the request itself is well formed (a malformed timestamp is a 400).
func pastList() error {
	return listProblem(&status.Error{Type: status.RetrievalError,
		Detail: "this service keeps no past versions of its status lists; request the list without timestamp"},
		http.StatusNotFound)
}

// listProblem is the problem of a status error, with the HTTP status of this endpoint.
func listProblem(err error, code int) error {
	var se *status.Error
	if !errors.As(err, &se) {
		return problem(fmt.Errorf("%w: %w", errBadRequest, err))
	}
	p := se.Problem()
	p.Status = code
	return fromVC(p)
}

// listETag is a strong entity tag of a status list representation: a digest of its media
// type and bytes, which change whenever the list is signed again.
func listETag(ctype string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(ctype))
	h.Write([]byte{0})
	h.Write(body)
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]) + `"`
}

// statusListType is the Content-Type of a status list credential: application/vc, or
// the JSON-LD or JSON type a client asks for instead (a JSON-LD document loader that
// reads only JSON types). The bytes are the same: a credential with an embedded proof
// is a JSON-LD document.
func statusListType(value string) string {
	best, bestQ := status.MediaTypeVC, 0.0
	for _, r := range accept.Parse(value) {
		switch r.MediaType {
		case status.MediaTypeVC, status.MediaTypeLD, status.MediaTypeJSON:
			if r.Q > bestQ {
				best, bestQ = r.MediaType, r.Q
			}
		}
	}
	return best
}
