package web

import (
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// FuzzURL: any did:web either fails with INVALID_DID or maps to an https URL on a
// domain name, ending in /did.json, without user-info or dot segments.
func FuzzURL(f *testing.F) {
	for _, s := range []string{"example.com", "example.com%3A3000:user:alice", "127.0.0.1", "a%2F..:b", "x.y:%2E%2E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msid string) {
		d, err := did.Parse("did:web:" + msid)
		if err != nil {
			return
		}
		u, err := URL(d)
		if err != nil {
			if !strings.Contains(err.Error(), "invalid DID") {
				t.Fatalf("%q: %v", msid, err)
			}
			return
		}
		if u.Scheme != "https" || u.User != nil || !strings.HasSuffix(u.Path, "/did.json") ||
			strings.Contains(u.Path, "/../") || strings.Contains(u.Path, "/./") || strings.Contains(u.Host, "@") {
			t.Fatalf("%q mapped to %s", msid, u)
		}
		if !isDomainName(u.Hostname()) {
			t.Fatalf("%q: host %q is not a domain name", msid, u.Hostname())
		}
	})
}
