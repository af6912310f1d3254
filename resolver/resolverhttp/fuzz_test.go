package resolverhttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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

// FuzzRenderedMatchesCold sends arbitrary identifiers, queries and Accept values to a
// handler that keeps renderings and to one that renders every answer: the second
// answer of the first (served from a kept rendering when the first was a cacheable
// success) must be the answer of the second, status, body and validators.
func FuzzRenderedMatchesCold(f *testing.F) {
	for _, s := range [][3]string{
		{"did:example:1", "", ""},
		{"did%3Aexample%3A1", "accept=application%2Fdid&expandRelativeUrls=true", LegacyMediaTypeResolution},
		{"did%3Aexample%3A1", "versionTime=2026-01-01T00%3A00%3A00Z", "application/did+json;q=0.5, application/did;q=0.6"},
		{"did:example:1", "", "application/ld+json;profile=x, application/json"},
		{"did%3Aexample%3A1%23key-1", "", ""},
		{"did%3Aexample%3A1%3Fservice%3Dfiles", "", MediaTypeDereferencing},
	} {
		f.Add(s[0], s[1], s[2])
	}
	rendered, cold, _ := renderedAndCold(f, testMethods)
	f.Fuzz(func(t *testing.T, id, query, accept string) {
		u := &url.URL{Scheme: "http", Host: "resolver.test", Path: identifiersPrefix + id, RawQuery: query}
		target := u.String()
		send := func(h http.Handler) *httptest.ResponseRecorder {
			req, err := http.NewRequest(http.MethodGet, target, nil)
			if err != nil {
				t.Skip()
			}
			req.Header.Set("Accept", accept)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		want := send(cold)
		send(rendered)
		got := send(rendered)
		if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("%s Accept %q: status %d %s\nwant %d %s", target, accept, got.Code, got.Body, want.Code, want.Body)
		}
		for _, hd := range []string{"Content-Type", "Etag", "Cache-Control"} {
			if g, w := got.Header().Get(hd), want.Header().Get(hd); g != w {
				t.Fatalf("%s Accept %q: %s = %q, want %q", target, accept, hd, g, w)
			}
		}
	})
}

// FuzzPostOptions sends arbitrary POST bodies and Content-Types: the handler must
// never panic, and every answer is a success or a status of the binding's table,
// 413 or 415.
func FuzzPostOptions(f *testing.F) {
	for _, s := range [][2]string{
		{"application/json", `{"versionId":"1"}`},
		{MediaTypeResolution, `{"noCache":true,"accept":"application/did"}`},
		{"", `{"x":{"y":[1,2]}}`},
		{"application/json", "{\"a\":\"\xff\"}"},
		{"text/plain", "{}"},
	} {
		f.Add(s[0], s[1])
	}
	h := testHandler(f)
	allowed := map[int]bool{200: true, 400: true, 404: true, 406: true, 410: true, 413: true, 415: true, 500: true, 501: true}
	f.Fuzz(func(t *testing.T, ctype, payload string) {
		req := httptest.NewRequest(http.MethodPost, "http://resolver.test/1.0/identifiers/did:example:1", strings.NewReader(payload))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("%q %q: status %d %s", ctype, payload, rec.Code, rec.Body)
		}
	})
}
