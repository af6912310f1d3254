package resolver

import (
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// FuzzRelativeRef checks that no relativeRef yields a URL outside the endpoint's path
// or on another host.
func FuzzRelativeRef(f *testing.F) {
	for _, s := range []string{"/resume.pdf", "../x", "%2E%2E/x", "/a/./b/../../..", "?q#f", "//evil/x", "a\\..\\b"} {
		f.Add(s)
	}
	const endpoint = "https://example.com/files/"
	f.Fuzz(func(t *testing.T, ref string) {
		urls, err := endpointURLs([]did.Service{{ServiceEndpoint: []did.Endpoint{{URI: endpoint}}}}, ref)
		if err != nil {
			return
		}
		u, err := url.Parse(urls[0])
		if err != nil {
			t.Fatalf("%q gave unparsable %q", ref, urls[0])
		}
		if u.Host != "example.com" || !strings.HasPrefix(path.Clean(u.Path)+"/", "/files/") {
			t.Fatalf("%q escaped the endpoint: %q", ref, urls[0])
		}
	})
}

// FuzzDereference checks that any DID URL dereferences without panicking and that
// every failure carries a problem type.
func FuzzDereference(f *testing.F) {
	for _, s := range []string{exDID + "#key-1", exDID + "?service=files&relativeRef=%2Fa", exDID + "/p?x=1#f", "did:example:1?versionTime=2020-01-01T00:00:00Z"} {
		f.Add(s)
	}
	r := New()
	_ = r.Register("example", &fakeMethod{})
	f.Fuzz(func(t *testing.T, u string) {
		res, err := r.Dereference(t.Context(), u, DereferenceOptions{})
		if err != nil && (res.DereferencingMetadata.Error == nil || res.DereferencingMetadata.Error.Type == "") {
			t.Fatalf("%q: error %v without problem", u, err)
		}
	})
}
