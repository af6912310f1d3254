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
// decided by a.Match; for patterns the grammar of spec/credentials.md §4.1 is compared part by
// part. HTTP URL patterns are compared as written (a must name the same URL pattern), which
// errs on the side of refusing.
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
		am, aurl, _ := strings.Cut(strings.TrimPrefix(as, "http:"), " ")
		pm, purl, _ := strings.Cut(strings.TrimPrefix(ps, "http:"), " ")
		return wildcardCovers(am, pm) && aurl == purl
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
