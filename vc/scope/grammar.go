package scope

import (
	"errors"
	"strings"
)

// parseResourceAction parses resource ":" verb; a pattern may end the resource in ".*", be
// "*", or have the verb "*".
func parseResourceAction(s string, pattern bool) (ActionPattern, error) {
	resource, verb, ok := strings.Cut(s, ":")
	if !ok {
		return ActionPattern{}, patternError(s, `want resource ":" verb, "mcp:…" or "http:…"`)
	}
	p := ActionPattern{raw: s, kind: KindResource, resource: resource, verb: verb}
	if !(pattern && verb == "*") && !isName(verb) {
		return ActionPattern{}, patternError(s, "the verb must be a name (a letter, then letters, digits, - or _)")
	}
	if pattern && resource == "*" {
		return p, nil
	}
	if r, ok := strings.CutSuffix(resource, ".*"); pattern && ok {
		p.resource, p.resPrefix = r+".", true
		resource = r
	}
	for seg := range strings.SplitSeq(resource, ".") {
		if !isName(seg) {
			return ActionPattern{}, patternError(s, "each dot-separated resource segment must be a name (a letter, then letters, digits, - or _)")
		}
	}
	if resource == "mcp" || resource == "http" {
		return ActionPattern{}, patternError(s, "the resources mcp and http are reserved")
	}
	return p, nil
}

// parseMCP parses "mcp:" server "/" tool. The tool is what follows the last "/" (MCP tool
// names have no "/"); a pattern may use "*" for either, or end the tool in "*".
func parseMCP(s string, pattern bool) (ActionPattern, error) {
	body := s[len("mcp:"):]
	i := strings.LastIndexByte(body, '/')
	if i < 0 {
		return ActionPattern{}, patternError(s, `want "mcp:" server "/" tool`)
	}
	p := ActionPattern{raw: s, kind: KindMCP, server: body[:i], tool: body[i+1:]}
	if !(pattern && p.server == "*") && !isServerName(p.server) {
		return ActionPattern{}, patternError(s, "the server must be letters, digits, -, _, . or inner single /")
	}
	anyTool := pattern && p.tool == "*"
	if pattern && !anyTool && strings.HasSuffix(p.tool, "*") {
		p.tool, p.toolPrefix = p.tool[:len(p.tool)-1], true
	}
	if !anyTool && !isToolName(p.tool) {
		return ActionPattern{}, patternError(s, "the tool must be 1 to %d letters, digits, -, _ or . (MCP tool names)", maxNameLen)
	}
	return p, nil
}

// parseHTTP parses "http:" method SP URL. A pattern may use the method "*" and a URL pattern.
func parseHTTP(s string, pattern bool) (ActionPattern, error) {
	method, target, ok := strings.Cut(s[len("http:"):], " ")
	if !ok {
		return ActionPattern{}, patternError(s, `want "http:" METHOD " " URL`)
	}
	if !(pattern && method == "*") && !isMethod(method) {
		return ActionPattern{}, patternError(s, "the method must be 1 to 20 upper-case letters")
	}
	p := ActionPattern{raw: s, kind: KindHTTP, method: method}
	scheme, rest, ok := splitHTTP(target)
	if !ok {
		return ActionPattern{}, patternError(s, "the URL must start with https:// or http://")
	}
	if pattern {
		u, err := ParseURLPattern(target)
		var pe *PatternError
		if errors.As(err, &pe) {
			return ActionPattern{}, patternError(s, "%s", pe.Reason)
		}
		p.url = u
		return p, nil
	}
	t, err := parseHTTPParts(scheme, rest, false)
	if err != nil {
		return ActionPattern{}, patternError(s, "%v", err)
	}
	p.target = t
	return p, nil
}

// isName: ALPHA *(ALPHA / DIGIT / "-" / "_"), at most maxNameLen bytes.
func isName(s string) bool {
	if s == "" || len(s) > maxNameLen || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// isToolName: 1 to 128 of ALPHA / DIGIT / "_" / "-" / "." (MCP 2025-11-25, tool names).
func isToolName(s string) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isServerName: tool-name characters and inner single "/" (registry names such as
// "io.github.acme/tickets").
func isServerName(s string) bool {
	if s == "" || s[0] == '/' || s[len(s)-1] == '/' || strings.Contains(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' && c != '/' {
			return false
		}
	}
	return true
}

// isMethod: 1 to 20 upper-case ASCII letters (RFC 9110 methods are case-sensitive tokens; the
// registered ones are upper case).
func isMethod(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
