package resolverhttp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/jwk"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/server"
)

const (
	didKey = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	mk     = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	didJWK = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// example is a did:example method whose behaviour depends on the DID.
type example struct{}

func (example) Resolve(_ context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	doc := &did.Document{ID: id,
		VerificationMethod: []did.VerificationMethod{{ID: "#key-1", Type: did.TypeMultikey, Controller: id, PublicKeyMultibase: mk}},
		AssertionMethod:    []did.MethodRef{{Ref: "#key-1"}},
		Service: []did.Service{{ID: "#files", Type: []string{"FileService"},
			ServiceEndpoint: []did.Endpoint{{URI: "https://example.com/files/"}}}}}
	meta := did.DocumentMetadata{NextUpdate: now.Add(30 * time.Second), VersionID: opts.VersionID}
	switch id {
	case "did:example:notfound":
		return nil, did.ErrNotFound
	case "did:example:gone":
		return &did.ResolutionResult{DIDDocument: doc, DIDDocumentMetadata: did.DocumentMetadata{Deactivated: true}}, did.ErrDeactivated
	case "did:example:boom":
		return nil, errors.New("database password=hunter2")
	}
	return &did.ResolutionResult{DIDDocument: doc, DIDDocumentMetadata: meta}, nil
}

func (example) DereferencePath(_ context.Context, u did.URL, opts did.ResolutionOptions) (*did.DereferencingResult, error) {
	if u.Path != "/chain" {
		return nil, did.ErrNotFound
	}
	if !strings.Contains(opts.Accept, "pem") && !strings.Contains(opts.Accept, "*/*") {
		return nil, did.ErrRepresentationNotSupported
	}
	return &did.DereferencingResult{ContentStream: []byte("-----BEGIN CERTIFICATE-----\n"),
		DereferencingMetadata: did.DereferencingMetadata{ContentType: "application/pem-certificate-chain"}}, nil
}

func testHandler(tb testing.TB) http.Handler {
	tb.Helper()
	reg := resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{Now: func() time.Time { return now }})))
	for m, r := range map[string]did.Resolver{"key": key.Resolver{}, "jwk": jwk.Resolver{}, "example": example{}} {
		if err := reg.Register(m, r); err != nil {
			tb.Fatal(err)
		}
	}
	h := New(reg, Config{
		TestIdentifiers: map[string][]string{"key": {didKey}},
		Properties:      map[string]any{"version": "test"},
		Now:             func() time.Time { return now },
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return server.New(server.Config{Logger: log}, h).Handler()
}

func get(tb testing.TB, h http.Handler, target, accept string, hdr ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://resolver.test"+target, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func body(tb testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		tb.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return m
}

func TestResolveMediaTypes(t *testing.T) {
	h := testHandler(t)
	cases := []struct {
		name, path, accept, ctype string
		check                     func(t *testing.T, m map[string]any)
	}{
		{"resolution result", "/1.0/identifiers/" + didKey, MediaTypeResolution, MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"no Accept", "/1.0/identifiers/" + didKey, "", MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"*/*", "/1.0/identifiers/" + didKey, "*/*", MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"legacy profile", "/1.0/identifiers/" + didKey, LegacyMediaTypeResolution, LegacyMediaTypeResolution, func(t *testing.T, m map[string]any) {
			fullResult(didKey, did.MediaTypeDID)(t, m)
			if m["@context"] != legacyContext {
				t.Errorf("@context = %v", m["@context"])
			}
		}},
		{"UR driver Accept", "/1.0/identifiers/" + didKey, MediaTypeResolution + "," + did.MediaTypeDIDLDJSON, MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"application/did", "/1.0/identifiers/" + didKey, did.MediaTypeDID, did.MediaTypeDID, document(didKey, did.ContextV1_1)},
		{"application/did+ld+json", "/1.0/identifiers/" + didKey, did.MediaTypeDIDLDJSON, did.MediaTypeDIDLDJSON, document(didKey, did.ContextV1)},
		{"application/did+json", "/1.0/identifiers/" + didKey, did.MediaTypeDIDJSON, did.MediaTypeDIDJSON, document(didKey, "")},
		{"application/ld+json", "/1.0/identifiers/" + didKey, "application/ld+json", "application/ld+json", document(didKey, did.ContextV1)},
		{"application/json", "/1.0/identifiers/" + didKey, "application/json", "application/json", document(didKey, did.ContextV1_1)},
		{"q values", "/1.0/identifiers/" + didKey, "application/did-resolution;q=0.5, application/did+json", did.MediaTypeDIDJSON, document(didKey, "")},
		{"did:jwk", "/1.0/identifiers/" + didJWK, did.MediaTypeDID, did.MediaTypeDID, document(didJWK, did.ContextV1_1)},
		{"URL-encoded DID", "/1.0/identifiers/did%3Akey%3A" + mk, MediaTypeResolution, MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"encoded option", "/1.0/identifiers/did%3Akey%3A" + mk + "?accept=application%2Fdid", MediaTypeResolution, MediaTypeResolution, fullResult(didKey, did.MediaTypeDID)},
		{"JSON options", "/1.0/identifiers/did%3Aexample%3A1?%7B%22versionId%22%3A%222%22%2C%22noCache%22%3Atrue%7D", MediaTypeResolution, MediaTypeResolution, versionID("2")},
		{"form options", "/1.0/identifiers/did%3Aexample%3A1?versionId=3&noCache=true", MediaTypeResolution, MediaTypeResolution, versionID("3")},
		{"raw percent-encoded idchar", "/1.0/identifiers/did:example:host%3A8443", MediaTypeResolution, MediaTypeResolution, fullResult("did:example:host%3A8443", did.MediaTypeDID)},
		{"encoded percent-encoded idchar", "/1.0/identifiers/did%3Aexample%3Ahost%253A8443", MediaTypeResolution, MediaTypeResolution, fullResult("did:example:host%3A8443", did.MediaTypeDID)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.path, c.accept)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.ctype {
				t.Fatalf("status %d, Content-Type %q, body %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			c.check(t, body(t, rec))
		})
	}
}

func fullResult(id, contentType string) func(*testing.T, map[string]any) {
	return func(t *testing.T, m map[string]any) {
		doc, _ := m["didDocument"].(map[string]any)
		rm, _ := m["didResolutionMetadata"].(map[string]any)
		if doc["id"] != id || rm["contentType"] != contentType || m["didDocumentMetadata"] == nil {
			t.Errorf("result = %v", m)
		}
		if ctx, _ := doc["@context"].([]any); contentType != did.MediaTypeDIDJSON && (len(ctx) == 0 && doc["@context"] == nil) {
			t.Errorf("document without @context: %v", doc)
		}
	}
}

func document(id, firstContext string) func(*testing.T, map[string]any) {
	return func(t *testing.T, m map[string]any) {
		if m["id"] != id || m["didDocument"] != nil {
			t.Errorf("document = %v", m)
		}
		var first any
		switch ctx := m["@context"].(type) {
		case []any:
			first = ctx[0]
		case string:
			first = ctx
		}
		if firstContext == "" && first != nil || firstContext != "" && first != firstContext {
			t.Errorf("@context = %v, want %q first", m["@context"], firstContext)
		}
	}
}

func versionID(v string) func(*testing.T, map[string]any) {
	return func(t *testing.T, m map[string]any) {
		if meta, _ := m["didDocumentMetadata"].(map[string]any); meta["versionId"] != v {
			t.Errorf("didDocumentMetadata = %v", m["didDocumentMetadata"])
		}
	}
}

func TestErrors(t *testing.T) {
	h := testHandler(t)
	long := "/1.0/identifiers/did:example:" + strings.Repeat("a", did.MaxLength)
	cases := []struct {
		name, path, accept string
		status             int
		errType, ctype     string
	}{
		{"invalid DID", "/1.0/identifiers/did:Example:1", "", 400, "INVALID_DID", MediaTypeResolution},
		{"invalid DID as document", "/1.0/identifiers/did:example:", did.MediaTypeDID, 400, "INVALID_DID", MediaTypeResolution},
		{"invalid DID URL", "/1.0/identifiers/did%3Aexample%3A1%23a%23b", "", 400, "INVALID_DID_URL", MediaTypeDereferencing},
		{"invalid options", "/1.0/identifiers/did%3Aexample%3A1?versionId=1&versionTime=2020-01-01T00:00:00Z", "", 400, "INVALID_OPTIONS", MediaTypeResolution},
		{"bad boolean option", "/1.0/identifiers/did%3Aexample%3A1?noCache=maybe", "", 400, "INVALID_OPTIONS", MediaTypeResolution},
		{"bad JSON options", "/1.0/identifiers/did%3Aexample%3A1?%7Bnope", "", 400, "INVALID_OPTIONS", MediaTypeResolution},
		{"DID too long", long, "", 400, "INVALID_DID", MediaTypeResolution},
		{"query too long", "/1.0/identifiers/did%3Aexample%3A1?x=" + strings.Repeat("a", 5000), "", 400, "INVALID_OPTIONS", MediaTypeResolution},
		{"not found", "/1.0/identifiers/did:example:notfound", did.MediaTypeDID, 404, "NOT_FOUND", MediaTypeResolution},
		{"not acceptable", "/1.0/identifiers/" + didKey, "text/html", 406, "REPRESENTATION_NOT_SUPPORTED", MediaTypeResolution},
		{"method not supported", "/1.0/identifiers/did:nope:1", "", 501, "METHOD_NOT_SUPPORTED", MediaTypeResolution},
		{"internal error", "/1.0/identifiers/did:example:boom", "", 500, "INTERNAL_ERROR", MediaTypeResolution},
		{"service not found", "/1.0/identifiers/did:example:1?service=nope", "", 404, "NOT_FOUND", MediaTypeDereferencing},
		{"path not found", "/1.0/identifiers/did:example:1/nope", "", 404, "NOT_FOUND", MediaTypeDereferencing},
		{"legacy error", "/1.0/identifiers/did:example:notfound", LegacyMediaTypeResolution, 404, "NOT_FOUND", LegacyMediaTypeResolution},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.path, c.accept)
			if rec.Code != c.status || rec.Header().Get("Content-Type") != c.ctype {
				t.Fatalf("status %d, Content-Type %q, body %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			m := body(t, rec)
			meta := "didResolutionMetadata"
			if c.ctype == MediaTypeDereferencing {
				meta = "dereferencingMetadata"
			}
			md, _ := m[meta].(map[string]any)
			prob, _ := md["error"].(map[string]any)
			if prob["type"] != "https://www.w3.org/ns/did#"+c.errType || prob["title"] == "" {
				t.Errorf("%s.error = %v", meta, md["error"])
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Errorf("internal error detail leaked: %s", rec.Body)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestDeactivated(t *testing.T) {
	h := testHandler(t)
	for _, accept := range []string{MediaTypeResolution, did.MediaTypeDID} {
		rec := get(t, h, "/1.0/identifiers/did:example:gone", accept)
		if rec.Code != http.StatusGone || rec.Header().Get("Content-Type") != MediaTypeResolution {
			t.Fatalf("%s: status %d, %q", accept, rec.Code, rec.Header().Get("Content-Type"))
		}
		m := body(t, rec)
		meta, _ := m["didDocumentMetadata"].(map[string]any)
		doc, _ := m["didDocument"].(map[string]any)
		rm, _ := m["didResolutionMetadata"].(map[string]any)
		if meta["deactivated"] != true || doc["id"] != "did:example:gone" || rm["error"] != nil {
			t.Errorf("%s: body %v", accept, m)
		}
	}
}

func TestDereferencing(t *testing.T) {
	h := testHandler(t)
	cases := []struct {
		name, path, accept string
		status             int
		location, ctype    string
		check              func(*testing.T, map[string]any)
	}{
		{"raw service redirect", "/1.0/identifiers/did:example:1?service=files&relativeRef=/resume.pdf", "", 303,
			"https://example.com/files/resume.pdf", "", nil},
		// The W3C suite asks with the dereferencing result type and expects the redirect.
		{"service redirect, full result asked", "/1.0/identifiers/did%3Aexample%3A1%3Fservice%3Dfiles", MediaTypeDereferencing, 303,
			"https://example.com/files/", "", nil},
		{"service redirect, legacy full result asked", "/1.0/identifiers/did%3Aexample%3A1%3Fservice%3Dfiles", LegacyMediaTypeDereferencing, 303,
			"https://example.com/files/", "", nil},
		{"encoded service redirect with fragment", "/1.0/identifiers/did%3Aexample%3A1%3Fservice%3Dfiles%26relativeRef%3D%252Fa.pdf%23p2", "", 303,
			"https://example.com/files/a.pdf#p2", "", nil},
		{"fragment to verification method", "/1.0/identifiers/did%3Aexample%3A1%23key-1", "application/did", 200, "", did.MediaTypeDID,
			func(t *testing.T, m map[string]any) {
				if m["id"] != "#key-1" || m["type"] != "Multikey" || m["@context"] != did.ContextV1_1 {
					t.Errorf("method = %v", m)
				}
			}},
		{"fragment to service", "/1.0/identifiers/did%3Aexample%3A1%23files", did.MediaTypeDIDJSON, 200, "", did.MediaTypeDIDJSON,
			func(t *testing.T, m map[string]any) {
				if m["id"] != "#files" || m["@context"] != nil {
					t.Errorf("service = %v", m)
				}
			}},
		{"unknown fragment gives the document", "/1.0/identifiers/did%3Aexample%3A1%23nothing", did.MediaTypeDID, 200, "", did.MediaTypeDID,
			document("did:example:1", did.ContextV1_1)},
		{"verificationRelationship option", "/1.0/identifiers/did%3Aexample%3A1%23key-1?verificationRelationship=assertionMethod", did.MediaTypeDID, 200, "", did.MediaTypeDID,
			func(t *testing.T, m map[string]any) {
				if m["id"] != "#key-1" {
					t.Errorf("method = %v", m)
				}
			}},
		{"dereferencing result", "/1.0/identifiers/did%3Aexample%3A1%23key-1", MediaTypeDereferencing, 200, "", MediaTypeDereferencing,
			func(t *testing.T, m map[string]any) {
				c, _ := m["contentStream"].(map[string]any)
				md, _ := m["dereferencingMetadata"].(map[string]any)
				if c["id"] != "#key-1" || md["contentType"] != did.MediaTypeDID {
					t.Errorf("result = %v", m)
				}
			}},
		{"service in a dereferencing result", "/1.0/identifiers/did%3Aexample%3A1%23files", MediaTypeDereferencing, 200, "", MediaTypeDereferencing,
			func(t *testing.T, m map[string]any) {
				c, _ := m["contentStream"].(map[string]any)
				if len(c) != 3 || c["id"] != "#files" || c["type"] != "FileService" || c["serviceEndpoint"] != "https://example.com/files/" {
					t.Errorf("contentStream = %v, want the service as a document holds it", c)
				}
			}},
		{"plain DID as dereferencing result", "/1.0/identifiers/did:example:1", LegacyMediaTypeDereferencing, 200, "", LegacyMediaTypeDereferencing,
			func(t *testing.T, m map[string]any) {
				c, _ := m["contentStream"].(map[string]any)
				meta, _ := m["contentMetadata"].(map[string]any)
				if c["id"] != "did:example:1" || meta["nextUpdate"] == nil || m["@context"] != legacyContext {
					t.Errorf("result = %v", m)
				}
			}},
		{"method path", "/1.0/identifiers/did:example:1/chain", "application/pem-certificate-chain", 200, "", "application/pem-certificate-chain", nil},
		// Dereferencing chooses from the whole list: a type it cannot serve ranked first does not hide one it can.
		{"fragment, browser Accept", "/1.0/identifiers/did%3Aexample%3A1%23key-1", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, "", did.MediaTypeDID, nil},
		{"fragment, document type ranked second", "/1.0/identifiers/did%3Aexample%3A1%23key-1", "text/html, application/did+json;q=0.5", 200, "", did.MediaTypeDIDJSON, nil},
		{"fragment, nothing servable", "/1.0/identifiers/did%3Aexample%3A1%23key-1", "text/html", 406, "", MediaTypeDereferencing, nil},
		// The method chooses from the whole list, and its content keeps its own type.
		{"method path, one of several types", "/1.0/identifiers/did:example:1/chain", "application/did, application/pem-certificate-chain;q=0.5", 200, "", "application/pem-certificate-chain", nil},
		{"method path, no acceptable type", "/1.0/identifiers/did:example:1/chain", "application/did", 406, "", MediaTypeDereferencing, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := get(t, h, c.path, c.accept)
			if rec.Code != c.status || rec.Header().Get("Location") != c.location || rec.Header().Get("Content-Type") != c.ctype {
				t.Fatalf("status %d, Location %q, Content-Type %q, body %s", rec.Code, rec.Header().Get("Location"), rec.Header().Get("Content-Type"), rec.Body)
			}
			if c.status == http.StatusSeeOther && rec.Body.Len() != 0 {
				t.Errorf("303 with a body: %q", rec.Body)
			}
			if c.check != nil {
				c.check(t, body(t, rec))
			}
		})
	}
}

func TestCachingHeaders(t *testing.T) {
	h := testHandler(t)
	rec := get(t, h, "/1.0/identifiers/did:example:1", did.MediaTypeDID)
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=30" {
		t.Errorf("Cache-Control = %q, want max-age bounded by nextUpdate", got)
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if rec := get(t, h, "/1.0/identifiers/did:example:1", did.MediaTypeDID, "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: status %d", rec.Code)
	}
	if rec := get(t, h, "/1.0/identifiers/did:example:1", did.MediaTypeDIDJSON, "If-None-Match", etag); rec.Code != http.StatusOK {
		t.Errorf("other representation, same ETag: status %d", rec.Code)
	}
	// A fragment or a path has no contentMetadata of its own: the document's nextUpdate
	// still bounds it, for the answer kept with the resolution too (the second request).
	for _, u := range []string{"did%3Aexample%3A1%23key-1", "did:example:1/chain"} {
		for range 2 {
			rec := get(t, h, "/1.0/identifiers/"+u, "application/did, application/pem-certificate-chain")
			if got := rec.Header().Get("Cache-Control"); rec.Code != http.StatusOK || got != "public, max-age=30" {
				t.Errorf("%s: status %d, Cache-Control = %q, want max-age bounded by nextUpdate", u, rec.Code, got)

			}
		}
	}
	if rec := get(t, h, "/1.0/identifiers/"+didKey, did.MediaTypeDID); rec.Header().Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("no nextUpdate: Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
	if rec := get(t, h, "/1.0/identifiers/did%3Aexample%3A1?noCache=true", did.MediaTypeDID); rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("noCache: Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
}

func TestCORS(t *testing.T) {
	h := testHandler(t)
	rec := get(t, h, "/1.0/identifiers/"+didKey, "", "Origin", "https://app.example")
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET: %v", rec.Header())
	}
	req := httptest.NewRequest(http.MethodOptions, "/1.0/identifiers/"+didKey, nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
}

func TestDiscoveryEndpoints(t *testing.T) {
	h := testHandler(t)
	cases := []struct{ path, want string }{
		{"/1.0/methods", `["example","jwk","key"]`},
		{"/1.0/testIdentifiers", `{"key":["` + didKey + `"]}`},
		{"/1.0/properties", `{"version":"test"}`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			rec := get(t, h, c.path, "")
			if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != c.want {
				t.Errorf("%d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

// TestSuiteContentType is the check of the W3C DID Resolution test suite
// (tests/10-bindings.js) that "The HTTP response MUST contain a Content-Type HTTP
// response header. Its value MUST be the value of the contentType metadata
// property": the suite asks for the full result and requires the header to
// include the contentType the result's metadata gives, for resolution and for
// dereferencing.
func TestSuiteContentType(t *testing.T) {
	h := testHandler(t)
	for _, c := range []struct{ path, accept, meta string }{
		{"/1.0/identifiers/" + didKey, MediaTypeResolution, "didResolutionMetadata"},
		{"/1.0/identifiers/did:example:1", MediaTypeResolution, "didResolutionMetadata"},
		{"/1.0/identifiers/did%3Aexample%3A1%23key-1", MediaTypeDereferencing, "dereferencingMetadata"},
		{"/1.0/identifiers/did%3Aexample%3A1%3FversionId%3D1", MediaTypeDereferencing, "dereferencingMetadata"},
	} {
		rec := get(t, h, c.path, c.accept)
		md, _ := body(t, rec)[c.meta].(map[string]any)
		ct, _ := md["contentType"].(string)
		if rec.Code != http.StatusOK || ct == "" || !strings.Contains(rec.Header().Get("Content-Type"), ct) {
			t.Errorf("%s: status %d, Content-Type %q does not include the %s contentType %q",
				c.path, rec.Code, rec.Header().Get("Content-Type"), c.meta, ct)
		}
	}
}
