package issuer

import (
	"strings"

	"github.com/kakunin-dev/kakunin/vc/scope"
)

// grants reports whether the instance may grant the action pattern p: some allowed pattern
// must cover every action p matches.
func (in *Instance) grants(p scope.ActionPattern) bool {
	for _, a := range in.allowed {
		if covers(a, p) {
			return true
		}
	}
	return false
}

// covers reports whether every concrete action that p matches is matched by a. A concrete p is
// decided by a.Match; for patterns the grammar of spec/credentials.md §4.1 and §4.3 is compared
// part by part (see [httpCovers] for HTTP). Whatever the comparison cannot establish is refused:
// covers may say false for a pattern a does cover, never true for one it does not.
func covers(a, p scope.ActionPattern) bool {
	if a.Kind() != p.Kind() {
		return false
	}
	if concrete, err := scope.ParseAction(p.String()); err == nil {
		return a.Match(concrete)
	}
	as, ps := a.String(), p.String()
	switch a.Kind() {
	case scope.KindResource:
		ares, averb, _ := strings.Cut(as, ":")
		pres, pverb, _ := strings.Cut(ps, ":")
		return wildcardCovers(averb, pverb) && resourceCovers(ares, pres)
	case scope.KindMCP:
		aserver, atool := splitMCP(as)
		pserver, ptool := splitMCP(ps)
		return wildcardCovers(aserver, pserver) && toolCovers(atool, ptool)
	default:
		return httpCovers(as, ps)
	}
}

// wildcardCovers compares parts that are a name or "*".
func wildcardCovers(a, p string) bool { return a == "*" || a == p }

// resourceCovers compares resources: "*", a prefix "x.*", or a name.
func resourceCovers(a, p string) bool {
	if a == "*" || a == p {
		return true
	}
	prefix, ok := strings.CutSuffix(a, "*")
	return ok && p != "*" && len(p) > len(prefix) && strings.HasPrefix(p, prefix)
}

// toolCovers compares MCP tools: "*", a prefix "list_*", or a name.
func toolCovers(a, p string) bool {
	if a == "*" || a == p {
		return true
	}
	prefix, ok := strings.CutSuffix(a, "*")
	return ok && p != "*" && strings.HasPrefix(p, prefix)
}

// splitMCP splits "mcp:server/tool" at the last "/".
func splitMCP(s string) (server, tool string) {
	s = strings.TrimPrefix(s, "mcp:")
	i := strings.LastIndexByte(s, '/')
	return s[:max(i, 0)], s[i+1:]
}

// httpPattern is an HTTP action pattern (spec/credentials.md §4.1, §4.3) split into the parts
// that coverage compares, normalised as vc/scope's matcher compares them.
type httpPattern struct {
	method   string   // "*" is any
	scheme   string   // "http" or "https"
	host     string   // lower case, without the "*." of a wildcard host
	anyLabel bool     // the host began with "*.": one more leftmost label
	port     string   // "" for the scheme's default port
	items    []string // path items: a segment, "*", or "" (only last: a trailing "/" or the root)
	tail     bool     // the path ended in "/**": one or more further segments
}

// httpCovers reports whether the HTTP action pattern a covers p. Both come from
// scope.ParseActionPattern. The rules, each mirroring how scope matches a request:
//   - the method of a is "*" or equals that of p ("*" in p is covered only by "*");
//   - the schemes are equal, and the ports are equal once a default port is dropped;
//   - the hosts are equal; or a is "*.h" and p is one label before h ("x.h"); a wildcard host
//     "*.h" in p is covered only by "*.h";
//   - the paths, item by item (see [pathCovers]).
//
// A URL pattern that does not split as the grammar says (a query, an other-uri, a wildcard out
// of place) is refused rather than guessed at.
func httpCovers(as, ps string) bool {
	a, okA := parseHTTPPattern(as)
	p, okP := parseHTTPPattern(ps)
	return okA && okP && (a.method == "*" || a.method == p.method) &&
		a.scheme == p.scheme && a.port == p.port && hostCovers(a, p) && pathCovers(a, p)
}

// hostCovers compares hosts: "*." matches exactly one leftmost non-empty label.
func hostCovers(a, p httpPattern) bool {
	switch {
	case a.anyLabel == p.anyLabel:
		return a.host == p.host
	case p.anyLabel:
		return false
	default:
		label, rest, ok := strings.Cut(p.host, ".")
		return ok && label != "" && rest == a.host
	}
}

// pathCovers compares paths item by item: a literal segment covers only itself, "*" covers a
// literal segment or "*" (never the empty last item of a trailing "/"), "" covers only "". A
// path without "/**" covers only a path of as many items, without "/**". A path ending in
// "/**" after n items covers a path whose first n items it covers and that goes on: with
// "/**" itself, or with more items of which the next is not empty (so "/a/**" covers
// "/a/b", "/a/*/" and "/a/**", but not "/a", "/a/" or "/**").
func pathCovers(a, p httpPattern) bool {
	n := len(a.items)
	switch {
	case !a.tail && (p.tail || len(p.items) != n):
		return false
	case a.tail && len(p.items) < n:
		return false
	case a.tail && len(p.items) == n && !p.tail:
		return false
	case a.tail && len(p.items) > n && p.items[n] == "":
		return false
	}
	for i, item := range a.items {
		if item != p.items[i] && (item != "*" || p.items[i] == "") {
			return false
		}
	}
	return true
}

// parseHTTPPattern splits "http:" method SP URL-pattern. It reports false for anything but an
// http(s) URL pattern of the grammar.
func parseHTTPPattern(s string) (httpPattern, bool) {
	method, url, ok := strings.Cut(strings.TrimPrefix(s, "http:"), " ")
	if !ok || strings.ContainsAny(url, "?#") {
		return httpPattern{}, false
	}
	var h httpPattern
	h.method = method
	if h.scheme, url, ok = cutScheme(url); !ok {
		return httpPattern{}, false
	}
	authority, path := url, ""
	if i := strings.IndexByte(url, '/'); i >= 0 {
		authority, path = url[:i], url[i:]
	}
	h.host, h.port = authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		h.host, h.port = authority[:i], authority[i+1:]
	}
	if h.port == defaultPort(h.scheme) {
		h.port = ""
	}
	h.host, h.anyLabel = strings.CutPrefix(strings.ToLower(h.host), "*.")
	if h.host == "" || strings.Contains(h.host, "*") {
		return httpPattern{}, false
	}
	h.items, h.tail, ok = pathItems(path)
	return h, ok
}

// cutScheme cuts "https://" or "http://".
func cutScheme(url string) (scheme, rest string, ok bool) {
	if rest, ok = strings.CutPrefix(url, "https://"); ok {
		return "https", rest, true
	}
	if rest, ok = strings.CutPrefix(url, "http://"); ok {
		return "http", rest, true
	}
	return "", "", false
}

// pathItems splits a pattern path; the empty path is "/". It reports false for a "*" that is
// not a whole segment, a "**" that is not last, or an empty segment that is not last.
func pathItems(path string) (items []string, tail, ok bool) {
	if path == "" {
		path = "/"
	}
	if path[0] != '/' {
		return nil, false, false
	}
	items = strings.Split(path[1:], "/")
	if items[len(items)-1] == "**" {
		items, tail = items[:len(items)-1], true
	}
	for i, item := range items {
		if item == "" && (i != len(items)-1 || tail) || item != "*" && strings.Contains(item, "*") {
			return nil, false, false
		}
	}
	return items, tail, true
}

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}
