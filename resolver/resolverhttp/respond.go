package resolverhttp

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/internal/httpcond"
	"github.com/kakunin-dev/kakunin/resolver"
)

// identifiers serves GET and HEAD /1.0/identifiers/{did-or-did-url}.
func (h *Handler) identifiers(c *echo.Context) error {
	req, err := parseRequest(c.Request(), &h.cfg)
	return h.answer(c, req, err)
}

// answer resolves or dereferences a parsed request, or answers err, the error of
// parsing it.
func (h *Handler) answer(c *echo.Context, req request, err error) error {
	hd := c.Response().Header()
	h.cors(hd)
	hd["Vary"] = h.fixed.varyAccept
	if err != nil {
		return h.fail(c, req.dereference || errors.Is(err, did.ErrInvalidDIDURL), choice{full: true}, err)
	}
	ch, err := negotiate(c.Request().Header.Get("Accept"), req.dereference)
	if err != nil {
		return h.fail(c, req.dereference, ch, err)
	}
	if req.dereference || ch.deref {
		return h.dereference(c, req, ch)
	}
	return h.resolve(c, req, ch)
}

func (h *Handler) resolve(c *echo.Context, req request, ch choice) error {
	opts := req.opts.Resolution
	if !ch.full {
		opts.Accept = ch.rep
	}
	if h.rendered != nil {
		return h.resolveRendered(c, req.id, opts, ch)
	}
	res, err := h.res.Resolve(c.Request().Context(), req.id, opts)
	if err != nil {
		return h.writeResult(c, statusFor(err), ch, res, false)
	}
	return h.writeOK(c, opts.NoCache, res.DIDDocumentMetadata.NextUpdate, func() ([]byte, string, error) {
		return resolutionBody(res, ch)
	})
}

// resolutionBody serialises a successful resolution as ch asks: the full result or
// the document.
func resolutionBody(res *did.ResolutionResult, ch choice) ([]byte, string, error) {
	if ch.full {
		return resultBody(res, ch.legacy, false)
	}
	b, err := res.DIDDocument.Marshal(res.DIDResolutionMetadata.ContentType)
	return b, ch.ctype, err
}

func (h *Handler) dereference(c *echo.Context, req request, ch choice) error {
	opts := req.opts
	header := c.Request().Header.Get("Accept")
	switch {
	case !ch.full && (ch.rep == "" || hasPath(req.id)) && header != "":
		// Content in a type the binding does not name (or only a wildcard), or a
		// method's resource under a path: what can be served is known only once the
		// DID URL is dereferenced, which chooses from the whole Accept list, so that
		// a browser's "text/html, …, */*;q=0.8" still gets the document.
		opts.Accept = header
	case ch.rep != "":
		opts.Accept = ch.rep
	case ch.other != "":
		opts.Accept = ch.other
	default:
		opts.Accept = opts.Resolution.Accept
	}
	r, res, err := h.dereferenceRendered(c, req.id, opts, ch)
	switch {
	case r != nil:
		return h.writeRendering(c, opts.Resolution.NoCache, r)
	case err != nil && res == nil:
		return err
	case err != nil:
		return h.writeResult(c, statusFor(err), ch, res, true)
	}
	if urls := serviceURLs(res); urls != nil {
		// § 12.1: "The HTTP response status code MUST be 303 ... Location ... the
		// selected DID service endpoint URL ... the HTTP response body MUST be empty."
		c.Response().Header().Set("Cache-Control", "no-store")
		c.Response().Header().Set("Location", urls[0])
		return c.NoContent(http.StatusSeeOther)
	}
	return h.writeOK(c, opts.Resolution.NoCache, res.Expires, func() ([]byte, string, error) {
		return dereferencedBody(res, ch)
	})
}

// hasPath reports whether a DID URL has a path: a "/" before its query or fragment
// (a DID has none).
func hasPath(didURL string) bool {
	if i := strings.IndexAny(didURL, "?#"); i >= 0 {
		didURL = didURL[:i]
	}
	return strings.Contains(didURL, "/")
}

// dereferencedBody serialises a successful dereferencing as ch asks: the full result or
// the content.
func dereferencedBody(res *did.DereferencingResult, ch choice) ([]byte, string, error) {
	if ch.full {
		return resultBody(res, ch.legacy, true)
	}
	return contentBody(res, ch)
}

// serviceURLs returns the selected service endpoint URLs when the answer is a redirect
// to the first, and nil otherwise. § 12.1 asks for the redirect whenever the content
// is text/uri-list, whatever the Accept header: the full result is never sent then.
func serviceURLs(res *did.DereferencingResult) []string {
	if urls, ok := res.ContentStream.([]string); ok && len(urls) > 0 &&
		res.DereferencingMetadata.ContentType == "text/uri-list" {
		return urls
	}
	return nil
}

// statusFor maps an error to the status of the binding's table: its kind's status
// for the error types of DID Resolution, 410 for a deactivated DID, and 500 for "any
// other error URI".
func statusFor(err error) int {
	if errors.Is(err, did.ErrDeactivated) {
		return http.StatusGone
	}
	p := did.ProblemFor(err)
	if strings.HasPrefix(p.Type, "https://www.w3.org/ns/did#") && p.Status != 0 {
		return p.Status
	}
	return http.StatusInternalServerError
}

// fail answers an error that came before resolution with the full error result.
func (h *Handler) fail(c *echo.Context, dereference bool, ch choice, err error) error {
	p := did.ProblemFor(err)
	var body any = did.ErrorResult(err)
	status := statusFor(err)
	if bs := bodyStatus(err); bs != 0 { // 413, 415: the problem says the status sent
		status, p.Status = bs, bs
		body = &did.ResolutionResult{DIDResolutionMetadata: did.ResolutionMetadata{Error: &p}}
	}
	if dereference {
		body = &did.DereferencingResult{DereferencingMetadata: did.DereferencingMetadata{Error: &p}}
	}
	return h.writeResult(c, status, ch, body, dereference)
}

// writeResult sends a full result with status and no caching: every error, and a
// deactivated DID (410 with its document and metadata), carries one.
func (h *Handler) writeResult(c *echo.Context, status int, ch choice, res any, dereference bool) error {
	b, ctype, err := resultBody(scrub(res), ch.legacy, dereference)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return send(c, status, ctype, b)
}

// scrub returns res without the detail of an INTERNAL_ERROR problem: that detail is
// the text of an unexpected error (a database or network failure) that clients have
// no use for and should not see.
func scrub(res any) any {
	clean := func(p *did.Problem) *did.Problem {
		if p == nil || p.Type != did.ErrInternal.Type() {
			return p
		}
		q := *p
		q.Detail = ""
		return &q
	}
	switch r := res.(type) {
	case *did.ResolutionResult:
		out := *r
		out.DIDResolutionMetadata.Error = clean(r.DIDResolutionMetadata.Error)
		return &out
	case *did.DereferencingResult:
		out := *r
		out.DereferencingMetadata.Error = clean(r.DereferencingMetadata.Error)
		return &out
	}
	return res
}

// writeOK sends a 200 answer with an ETag and a Cache-Control that never outlives
// nextUpdate; If-None-Match gives 304.
func (h *Handler) writeOK(c *echo.Context, noCache bool, nextUpdate time.Time, body func() ([]byte, string, error)) error {
	b, ctype, err := body()
	if err != nil {
		return fmt.Errorf("%w: %w", did.ErrInternal, err)
	}
	r := newRendering(b, ctype)
	r.NextUpdate = nextUpdate
	return h.writeRendering(c, noCache, r)
}

// newRendering holds a body with its Content-Type and ETag.
func newRendering(b []byte, ctype string) *resolver.Rendering {
	sum := sha256.Sum256(b)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	return &resolver.Rendering{Body: b, ContentType: ctype, ETag: etag}
}

// writeRendering is writeOK for a body already rendered.
func (h *Handler) writeRendering(c *echo.Context, noCache bool, r *resolver.Rendering) error {
	hd := c.Response().Header()
	hd.Set("ETag", r.ETag)
	hd.Set("Cache-Control", h.cacheControl(noCache, r.NextUpdate))
	// RFC 9110 § 13.1.2: a 304 answers only GET and HEAD; a POST resolution ignores
	// If-None-Match (the request is safe, so nothing is to be prevented with a 412).
	m := c.Request().Method
	if (m == http.MethodGet || m == http.MethodHead) && httpcond.NoneMatch(c.Request().Header.Get("If-None-Match"), r.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	return send(c, http.StatusOK, r.ContentType, r.Body)
}

// send writes an answer; to HEAD, its header fields and Content-Length only (RFC
// 9110 § 9.3.2: "the server MUST NOT send content in the response").
func send(c *echo.Context, status int, ctype string, b []byte) error {
	if c.Request().Method != http.MethodHead {
		return c.Blob(status, ctype, b)
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, ctype)
	hd.Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.NoContent(status)
}

func (h *Handler) cacheControl(noCache bool, nextUpdate time.Time) string {
	if noCache {
		return "no-store"
	}
	age := h.cfg.MaxAge
	if !nextUpdate.IsZero() {
		age = min(age, nextUpdate.Sub(h.cfg.Now()))
	}
	if secs := int64(age / time.Second); secs > 0 {
		return "public, max-age=" + strconv.FormatInt(secs, 10)
	}
	return "no-cache"
}

// resultBody serialises a resolution or dereferencing result with its media type;
// the legacy types carry the did-resolution @context.
func resultBody(res any, legacy, dereference bool) ([]byte, string, error) {
	var prefix []byte
	if legacy {
		prefix = []byte(`{"@context":"` + legacyContext + `",`)
	}
	b, err := marshalResult(prefix, res)
	if err != nil {
		return nil, "", err
	}
	switch {
	case legacy && dereference:
		return b, LegacyMediaTypeDereferencing, nil
	case legacy:
		return b, LegacyMediaTypeResolution, nil
	case dereference:
		return b, MediaTypeDereferencing, nil
	}
	return b, MediaTypeResolution, nil
}
