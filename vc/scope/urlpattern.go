package scope

import (
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// URLPattern is a pattern over URLs, used in HTTP actions and in the audiences and resources of
// a grant (spec/credentials.md §4.3). An http or https pattern may name one leading host label
// "*" ("https://*.example.com/…"), and path segments "*" (exactly one segment) and, last, "**"
// (one or more segments). Any other absolute URI ("did:web:bank.example", "urn:isin:…") is
// matched exactly.
type URLPattern struct {
	raw      string
	exact    bool     // not an http(s) URL: compare raw
	scheme   string   // "http" or "https"
	host     string   // lower case; without the "*." of a wildcard host
	anyLabel bool     // host was "*." + host
	port     string   // "" for the scheme's default port
	segments []string // path segments; "" for the root path
	tailWild bool     // last segment was "**"
}

// String returns the pattern as written.
func (p URLPattern) String() string { return p.raw }

// ParseURLPattern parses s. It fails with an error wrapping [ErrInvalidPattern].
func ParseURLPattern(s string) (URLPattern, error) {
	if len(s) > maxPatternLen {
		return URLPattern{}, patternError(s, "longer than %d bytes", maxPatternLen)
	}
	scheme, rest, ok := splitHTTP(s)
	if !ok {
		if !claims.IsAbsoluteURI(s) || strings.Contains(s, "*") {
			return URLPattern{}, patternError(s, "neither an http(s) URL pattern nor an absolute URI without wildcards")
		}
		return URLPattern{raw: s, exact: true}, nil
	}
	u, err := parseHTTPParts(scheme, rest, true)
	if err != nil {
		return URLPattern{}, patternError(s, "%v", err)
	}
	p := URLPattern{raw: s, scheme: scheme, host: u.host, port: u.port}
	if strings.HasPrefix(p.host, "*.") {
		p.anyLabel, p.host = true, p.host[2:]
	}
	if strings.Contains(p.host, "*") {
		return URLPattern{}, patternError(s, "a host wildcard must be the whole leftmost label")
	}
	if p.segments, p.tailWild, err = pathPattern(u.path); err != nil {
		return URLPattern{}, patternError(s, "%v", err)
	}
	return p, nil
}

// pathPattern splits a pattern path into segments, checking the placement of "*" and "**".
// The empty path is the root path "/".
func pathPattern(path string) ([]string, bool, error) {
	if path == "" {
		path = "/"
	}
	segs := strings.Split(path[1:], "/")
	tailWild := segs[len(segs)-1] == "**"
	if tailWild {
		segs = segs[:len(segs)-1]
	}
	for _, seg := range segs {
		switch {
		case seg == "**":
			return nil, false, fmt.Errorf(`"**" must be the last path segment`)
		case seg != "*" && strings.Contains(seg, "*"):
			return nil, false, fmt.Errorf("a path wildcard must be a whole segment")
		}
	}
	return segs, tailWild, nil
}

// Match reports whether the URL or URI s matches p. An http(s) URL must be in normal form
// (spec/credentials.md §4.2); a query is ignored.
func (p URLPattern) Match(s string) bool {
	t, err := parseTarget(s)
	return err == nil && p.matchTarget(t)
}

// target is the resource or audience of a request, parsed once for all patterns.
type target struct {
	raw    string
	isHTTP bool
	parts  httpParts
}

// parseTarget parses s; an http(s) URL that is not in normal form is an error.
func parseTarget(s string) (target, error) {
	scheme, rest, ok := splitHTTP(s)
	if !ok {
		return target{raw: s}, nil
	}
	u, err := parseHTTPParts(scheme, rest, false)
	if err != nil {
		return target{}, patternError(s, "%v", err)
	}
	return target{raw: s, isHTTP: true, parts: u}, nil
}

func (p URLPattern) matchTarget(t target) bool {
	if p.exact {
		return !t.isHTTP && t.raw == p.raw
	}
	return t.isHTTP && p.matchParts(t.parts)
}

func (p URLPattern) matchParts(u httpParts) bool {
	if u.scheme != p.scheme {
		return false
	}
	if u.port != p.port && !(p.port == "" && u.port == defaultPort(p.scheme)) && !(u.port == "" && p.port == defaultPort(p.scheme)) {
		return false
	}
	if !p.matchHost(u.host) {
		return false
	}
	return p.matchPath(u.path)
}

func (p URLPattern) matchHost(host string) bool {
	if !p.anyLabel {
		return strings.EqualFold(host, p.host)
	}
	label, rest, ok := strings.Cut(host, ".")
	return ok && label != "" && strings.EqualFold(rest, p.host)
}

// matchPath walks path one segment at a time against the pattern, without allocating. "*"
// matches one non-empty segment; a final "**" matches the non-empty remainder.
func (p URLPattern) matchPath(path string) bool {
	if path == "" {
		path = "/"
	}
	rest := path[1:]
	for i, seg := range p.segments {
		cur, tail, more := strings.Cut(rest, "/")
		if seg == "*" && cur == "" || seg != "*" && seg != cur {
			return false
		}
		if !more {
			return i == len(p.segments)-1 && !p.tailWild
		}
		rest = tail
	}
	return p.tailWild && rest != ""
}

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}
