package web

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// URL returns the HTTPS URL of the DID document of d (did:web § Read): the
// method-specific identifier split on ":", the first part the host with an optional
// percent-encoded port ("example.com%3A3000"), the others path segments, then
// "/did.json", or "/.well-known/did.json" without a path.
//
// The host must be a DNS name (letters, digits, hyphens, dots; no IP address, as the
// spec requires: "it MUST NOT include IP addresses"), and path segments may not
// decode to "", ".", ".." or contain "/" or "\", so no DID can name another path.
// Errors wrap did.ErrInvalidDID and ErrInvalidHost or ErrInvalidPath.
func URL(d did.DID) (*url.URL, error) {
	if d.Method != "web" {
		return nil, fmt.Errorf("%w: did:%s is not did:web", did.ErrMethodNotSupported, d.Method)
	}
	parts := strings.Split(d.ID, ":")
	host, err := hostPort(parts[0])
	if err != nil {
		return nil, err
	}
	segs := make([]string, 0, len(parts))
	for _, p := range parts[1:] {
		s, err := url.PathUnescape(p)
		if err != nil || s == "" || s == "." || s == ".." || strings.ContainsAny(s, "/\\") {
			return nil, fmt.Errorf("%w: %w: %q", did.ErrInvalidDID, ErrInvalidPath, truncate(p))
		}
		segs = append(segs, s)
	}
	if len(segs) == 0 {
		segs = []string{".well-known"}
	}
	segs = append(segs, "did.json")
	return &url.URL{Scheme: "https", Host: host, Path: "/" + strings.Join(segs, "/")}, nil
}

// hostPort decodes "name" or "name%3Aport".
func hostPort(enc string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: %w: %q: %s", did.ErrInvalidDID, ErrInvalidHost, truncate(enc), why)
	}
	s, err := url.PathUnescape(enc)
	if err != nil {
		return "", bad("bad percent-encoding")
	}
	name, port, hasPort := strings.Cut(s, ":")
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", bad("bad port")
		}
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if _, err := netip.ParseAddr(name); err == nil {
		return "", bad("IP addresses are not allowed")
	}
	if !isDomainName(name) {
		return "", bad("not a domain name")
	}
	if hasPort {
		return name + ":" + port, nil
	}
	return name, nil
}

// isDomainName checks RFC 1123 host name syntax: dot-separated labels of 1 to 63
// letters, digits and hyphens, not starting or ending with a hyphen, at most 253
// bytes, at least two labels, and a last label that is not all digits (which would
// make "1.2.3.4"-like names and numeric forms such as "0x7f.1" that some stacks read
// as addresses).
func isDomainName(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != "" && !strings.HasPrefix(last, "0x")
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
