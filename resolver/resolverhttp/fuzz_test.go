package resolverhttp

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzIdentifiers sends arbitrary identifiers, queries and Accept values through the
// handler: it must never panic, and every answer is 200, 303, 304 or one of the
// statuses of the binding's table.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range [][3]string{
		{"did:example:1", "", ""},
		{"did%3Aexample%3A1%23key-1", "versionId=1", "application/did"},
		{"did:example:1", "service=files&relativeRef=%2F..%2Fx", "text/uri-list"},
		{"did%3Aexample%3A1", "%7B%22noCache%22%3Atrue%7D", `application/ld+json;profile="https://w3id.org/did-resolution"`},
	} {
		f.Add(s[0], s[1], s[2])
	}
	h := testHandler(f)
	allowed := map[int]bool{200: true, 303: true, 304: true, 400: true, 404: true, 406: true, 410: true, 500: true, 501: true}
	f.Fuzz(func(t *testing.T, id, query, accept string) {
		u := &url.URL{Scheme: "http", Host: "resolver.test", Path: identifiersPrefix + id, RawQuery: query}
		req, err := http.NewRequest(http.MethodGet, u.String(), nil)
		if err != nil {
			return
		}
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("%q?%q Accept %q: status %d %s", id, query, accept, rec.Code, rec.Body)
		}
	})
}
