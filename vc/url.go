package vc

import (
	"net/url"
	"strings"
)

// isURL reports whether s is an absolute URL: a scheme (RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT /
// "+" / "-" / "." )) followed by ":" and a body without spaces or control characters, that
// net/url parses, and that has a host when the scheme is one the URL Standard calls special.
// "did:example:123", "urn:uuid:…", "https://…" and "data:…" pass; "z6Mk…" does not.
func isURL(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !validScheme(s[:colon]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ws", "wss", "ftp":
		return u.Host != ""
	}
	return len(s) > colon+1
}

func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if i == 0 && !alpha {
			return false
		}
		if !alpha && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}
