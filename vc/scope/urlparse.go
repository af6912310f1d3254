package scope

import (
	"fmt"
	"strings"
)

// httpParts are the pieces of an http(s) URL after "scheme://".
type httpParts struct {
	scheme, host, port, path string
}

// splitHTTP splits "https://rest" or "http://rest".
func splitHTTP(s string) (scheme, rest string, ok bool) {
	if r, ok := strings.CutPrefix(s, "https://"); ok {
		return "https", r, true
	}
	if r, ok := strings.CutPrefix(s, "http://"); ok {
		return "http", r, true
	}
	return "", "", false
}

// parseHTTPParts parses authority and path. A pattern may hold "*" and no query; a request URL
// may hold a query, which is dropped, and must be in normal form: no user information, no
// fragment, no dot segments, no empty segment other than a trailing one, and no
// percent-encoded "/", "." or "\" that a server might decode into a different path.
func parseHTTPParts(scheme, rest string, pattern bool) (httpParts, error) {
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		return httpParts{}, fmt.Errorf("a fragment is not allowed")
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if pattern {
			return httpParts{}, fmt.Errorf("a query is not allowed in a pattern")
		}
		rest = rest[:i]
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	host, port, err := splitAuthority(authority, pattern)
	if err != nil {
		return httpParts{}, err
	}
	if err := checkPath(path, pattern); err != nil {
		return httpParts{}, err
	}
	return httpParts{scheme: scheme, host: host, port: port, path: path}, nil
}

func splitAuthority(a string, pattern bool) (host, port string, err error) {
	host = a
	if i := strings.LastIndexByte(a, ':'); i >= 0 {
		host, port = a[:i], a[i+1:]
		if !validPort(port) {
			return "", "", fmt.Errorf("invalid port %q", port)
		}
	}
	if !validHost(host, pattern) {
		return "", "", fmt.Errorf("invalid host %q", host)
	}
	return host, port, nil
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 || p[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n <= 65535
}

// validHost accepts a DNS name or IPv4 address (a pattern host in lower case, optionally
// starting with "*."); labels are 1 to 63 letters, digits or hyphens.
func validHost(h string, pattern bool) bool {
	if pattern {
		h = strings.TrimPrefix(h, "*.")
	}
	if h == "" {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || !pattern && c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return true
}

// checkPath checks the characters and segments of a path (RFC 3986 pchar, "/" separators,
// and "*" in patterns).
func checkPath(path string, pattern bool) error {
	if path == "" {
		return nil
	}
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' {
			if i+2 >= len(path) || !isHex(path[i+1]) || !isHex(path[i+2]) {
				return fmt.Errorf("bad percent-encoding")
			}
			if d := path[i+1 : i+3]; strings.EqualFold(d, "2f") || strings.EqualFold(d, "2e") || strings.EqualFold(d, "5c") {
				return fmt.Errorf("percent-encoded %q in path", "%"+d)
			}
			continue
		}
		if !isPathChar(c) && !(pattern && c == '*') {
			return fmt.Errorf("character %q not allowed in a path", c)
		}
	}
	segs := path[1:]
	for seg := range strings.SplitSeq(segs, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("dot segment in path")
		}
	}
	if strings.Contains(segs, "//") || strings.HasPrefix(segs, "/") {
		return fmt.Errorf("empty path segment")
	}
	return nil
}

// pathChars marks the bytes isPathChar accepts.
var pathChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for _, c := range []byte("-._~!$&'()+,;=:@/") {
		t[c] = true
	}
	return t
}()

// isPathChar reports whether c is an RFC 3986 pchar other than pct-encoded and "*", or "/".
func isPathChar(c byte) bool { return pathChars[c] }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
