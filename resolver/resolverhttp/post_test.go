package resolverhttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

func post(tb testing.TB, h http.Handler, target, accept, ctype, payload string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://resolver.test"+target, strings.NewReader(payload))
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestPostMatchesGet checks that the POST form (options as a JSON body) answers
// exactly as the GET form with the same options in the query of the encoded DID.
func TestPostMatchesGet(t *testing.T) {
	h := testHandler(t)
	cases := []struct {
		name, id, accept, ctype, body, query string
	}{
		{"no options", "did:example:1", MediaTypeResolution, "", "", ""},
		{"empty object", "did:example:1", MediaTypeResolution, "application/json", "{}", ""},
		{"version", "did:example:1", MediaTypeResolution, MediaTypeResolution, `{"versionId":"7"}`, "versionId=7"},
		{"booleans", "did:example:1", did.MediaTypeDID, "application/json; charset=utf-8",
			`{"noCache":true,"expandRelativeUrls":false}`, "noCache=true&expandRelativeUrls=false"},
		{"dereferencing option", "did:example:1#key-1", MediaTypeDereferencing, MediaTypeDereferencing,
			`{"verificationRelationship":"assertionMethod"}`, "verificationRelationship=assertionMethod"},
		{"not found", "did:example:notfound", MediaTypeResolution, "application/json", `{"versionId":"1"}`, "versionId=1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := "/1.0/identifiers/" + url.QueryEscape(c.id)
			raw := "/1.0/identifiers/" + c.id
			if strings.Contains(c.id, "#") {
				raw = target // a fragment reaches the server only percent-encoded
			}
			got := post(t, h, raw, c.accept, c.ctype, c.body)
			if c.query != "" {
				target += "?" + c.query
			}
			want := get(t, h, target, c.accept)
			if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
				t.Fatalf("POST %d %s\nGET %d %s", got.Code, got.Body, want.Code, want.Body)
			}
			for _, hd := range []string{"Content-Type", "Etag", "Cache-Control", "Access-Control-Allow-Origin"} {
				if g, w := got.Header().Get(hd), want.Header().Get(hd); g != w {
					t.Errorf("%s = %q, GET has %q", hd, g, w)
				}
			}
		})
	}
}

// TestPostIgnoresIfNoneMatch: RFC 9110 § 13.1.2 allows a 304 only for GET and
// HEAD, so a POST resolution answers in full whatever If-None-Match says.
func TestPostIgnoresIfNoneMatch(t *testing.T) {
	h := testHandler(t)
	etag := get(t, h, "/1.0/identifiers/did:example:1", MediaTypeResolution).Header().Get("ETag")
	for _, inm := range []string{"*", etag} {
		req := httptest.NewRequest(http.MethodPost, "http://resolver.test/1.0/identifiers/did:example:1", nil)
		req.Header.Set("If-None-Match", inm)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 200 with the result", inm, rec.Code, rec.Body.Len())
		}
	}
	req := httptest.NewRequest(http.MethodGet, "http://resolver.test/1.0/identifiers/did:example:1", nil)
	req.Header.Set("If-None-Match", etag)
	req.Header.Set("Accept", MediaTypeResolution)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("GET with the same If-None-Match: %d, want 304", rec.Code)
	}
}

func TestPostRawDIDURLServiceRedirect(t *testing.T) {
	rec := post(t, testHandler(t), "/1.0/identifiers/did:example:1?service=files&relativeRef=/resume.pdf", "", "application/json", "{}")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "https://example.com/files/resume.pdf" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}

func TestPostErrors(t *testing.T) {
	h := testHandler(t)
	cases := []struct {
		name, target, ctype, body string
		status                    int
	}{
		{"not JSON", "/1.0/identifiers/did:example:1", "application/json", "{nope", 400},
		{"not an object", "/1.0/identifiers/did:example:1", "application/json", `["versionId"]`, 400},
		{"duplicate member", "/1.0/identifiers/did:example:1", "application/json", `{"versionId":"1","versionId":"2"}`, 400},
		{"wrong option type", "/1.0/identifiers/did:example:1", "application/json", `{"noCache":"yes"}`, 400},
		{"conflicting options", "/1.0/identifiers/did:example:1", "application/json", `{"versionId":"1","versionTime":"2020-01-01T00:00:00Z"}`, 400},
		{"null", "/1.0/identifiers/did:example:1", "application/json", "null", 400},
		{"body without a type", "/1.0/identifiers/did:example:1", "", "{}", http.StatusUnsupportedMediaType},
		{"options in query and body", "/1.0/identifiers/did%3Aexample%3A1?versionId=1", "application/json", `{"versionId":"1"}`, 400},
		{"body too large", "/1.0/identifiers/did:example:1", "application/json",
			`{"x":"` + strings.Repeat("a", 8192) + `"}`, http.StatusRequestEntityTooLarge},
		{"unsupported body type", "/1.0/identifiers/did:example:1", "application/x-www-form-urlencoded", "versionId=1",
			http.StatusUnsupportedMediaType},
		{"malformed body type", "/1.0/identifiers/did:example:1", "application/json;;", "{}", http.StatusUnsupportedMediaType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := post(t, h, c.target, "", c.ctype, c.body)
			if rec.Code != c.status || rec.Header().Get("Content-Type") != MediaTypeResolution {
				t.Fatalf("status %d, Content-Type %q, body %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			md, _ := body(t, rec)["didResolutionMetadata"].(map[string]any)
			prob, _ := md["error"].(map[string]any)
			if prob["type"] != "https://www.w3.org/ns/did#INVALID_OPTIONS" || prob["detail"] == "" ||
				prob["status"] != float64(c.status) {
				t.Errorf("error %v", md["error"])
			}
		})
	}
}

// TestPostServerBodyLimit: a body cut by the server's own limit (http.MaxBytesReader,
// as echo's BodyLimit middleware installs it) is a 413, not a malformed body.
func TestPostServerBodyLimit(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "http://resolver.test/1.0/identifiers/did:example:1",
		strings.NewReader(`{"versionId":"1"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	req.Body = http.MaxBytesReader(rec, req.Body, 4)
	testHandler(t).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
}

// TestHead checks HEAD against GET: the same status and header fields, the GET
// body's length, and no content.
func TestHead(t *testing.T) {
	h := testHandler(t)
	for _, target := range []string{
		"/1.0/identifiers/" + didKey,
		"/1.0/identifiers/did:example:notfound",
		"/1.0/identifiers/did%3Aexample%3A1%23key-1",
		"/1.0/identifiers/did:example:1?service=files&relativeRef=/a",
	} {
		t.Run(target, func(t *testing.T) {
			want := get(t, h, target, "")
			req := httptest.NewRequest(http.MethodHead, "http://resolver.test"+target, nil)
			got := httptest.NewRecorder()
			h.ServeHTTP(got, req)
			if got.Code != want.Code || got.Body.Len() != 0 {
				t.Fatalf("HEAD %d with %d bytes; GET %d", got.Code, got.Body.Len(), want.Code)
			}
			for _, hd := range []string{"Content-Type", "Etag", "Cache-Control", "Location"} {
				if g, w := got.Header().Get(hd), want.Header().Get(hd); g != w {
					t.Errorf("%s = %q, GET has %q", hd, g, w)
				}
			}
			if want.Body.Len() > 0 && got.Header().Get("Content-Length") != strconv.Itoa(want.Body.Len()) {
				t.Errorf("Content-Length %q, GET body %d bytes", got.Header().Get("Content-Length"), want.Body.Len())
			}
		})
	}
}

func TestPreflightAllowsPost(t *testing.T) {
	req := httptest.NewRequest(http.MethodOptions, "/1.0/identifiers/"+didKey, nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	testHandler(t).ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
}
