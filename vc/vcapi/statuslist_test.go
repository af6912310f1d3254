package vcapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// listPath issues a credential with id and returns the path of its revocation list.
func listPath(t *testing.T, e *env, id string) string {
	t.Helper()
	vc := e.issue(t, "/credentials/issue", credentialBody(e.Agent, map[string]any{"credentialId": id}))
	var doc struct {
		CredentialStatus []struct {
			StatusPurpose        string `json:"statusPurpose"`
			StatusListCredential string `json:"statusListCredential"`
		} `json:"credentialStatus"`
	}
	if err := json.Unmarshal(vc, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.CredentialStatus {
		if s.StatusPurpose == "revocation" {
			return strings.TrimPrefix(s.StatusListCredential, issuertest.BaseURL)
		}
	}
	t.Fatal("no revocation entry")
	return ""
}

// TestStatusListHEADAndETag: HEAD answers GET's header fields without content (RFC 9110
// § 9.3.2); GET and HEAD carry a strong ETag of the representation, and If-None-Match
// (weak comparison, RFC 9110 § 13.1.2) answers 304.
func TestStatusListHEADAndETag(t *testing.T) {
	e := newEnv(t)
	const id = "urn:uuid:1f0c5a3e-6d2b-4f8e-9a7c-3b5d1e2f4a60"
	path := listPath(t, e, id)
	get, body := e.send(t, http.MethodGet, path, "", nil, nil)
	etag := get.Header.Get("ETag")
	if get.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
		t.Fatalf("GET: %d ETag %q", get.StatusCode, etag)
	}
	head, out := e.send(t, http.MethodHead, path, "", nil, nil)
	if head.StatusCode != 200 || len(out) != 0 || head.Header.Get("Content-Length") != itoa(len(body)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q (GET: %d bytes)", head.StatusCode, len(out), head.Header.Get("Content-Length"), len(body))
	}
	for _, h := range []string{"Content-Type", "Cache-Control", "ETag", "Vary"} {
		if head.Header.Get(h) != get.Header.Get(h) {
			t.Errorf("HEAD %s %q, GET %q", h, head.Header.Get(h), get.Header.Get(h))
		}
	}
	for _, tt := range []struct {
		method, ifNoneMatch string
		status              int
	}{
		{http.MethodGet, etag, 304},
		{http.MethodGet, "W/" + etag, 304},
		{http.MethodGet, `"other", ` + etag, 304},
		{http.MethodGet, "*", 304},
		{http.MethodHead, etag, 304},
		{http.MethodGet, `"other"`, 200},
	} {
		res, out := e.send(t, tt.method, path, "", http.Header{"If-None-Match": {tt.ifNoneMatch}}, nil)
		if res.StatusCode != tt.status || tt.status == 304 && (len(out) != 0 || res.Header.Get("ETag") != etag ||
			res.Header.Get("Cache-Control") == "") {
			t.Errorf("%s If-None-Match %s: %d %q", tt.method, tt.ifNoneMatch, res.StatusCode, res.Header)
		}
	}
	// Another representation of the same bytes has another tag.
	if res, _ := e.send(t, http.MethodGet, path, "", http.Header{"Accept": {"application/json"}}, nil); res.Header.Get("ETag") == etag {
		t.Error("application/json has the application/vc ETag")
	}
	update := map[string]any{"credentialId": id, "status": true,
		"credentialStatus": map[string]any{"type": "BitstringStatusList", "statusPurpose": "revocation"}}
	if res, out := e.do(t, http.MethodPost, "/credentials/status", tokenAcme, update); res.StatusCode != 200 {
		t.Fatalf("revoke: %d %s", res.StatusCode, out)
	}
	if res, _ := e.send(t, http.MethodGet, path, "", http.Header{"If-None-Match": {etag}}, nil); res.StatusCode != 200 || res.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	if res, _ := e.send(t, http.MethodHead, "/status/main/revocation/nope", "", nil, nil); res.StatusCode != 404 {
		t.Errorf("HEAD of an unknown list: %d", res.StatusCode)
	}
}

// TestStatusListTimestamp: Bitstring Status List § 3.2, a timestamp-parameterized URL gives
// the list as it was then "or a STATUS_RETRIEVAL_ERROR"; the service keeps no past lists, so
// a well-formed timestamp is that error (404), a malformed one a MALFORMED_VALUE_ERROR (400).
func TestStatusListTimestamp(t *testing.T) {
	e := newEnv(t)
	path := listPath(t, e, "urn:uuid:2a7d4c1b-8e3f-4a5b-9c6d-7e8f9a0b1c2d")
	tests := []struct {
		name, target, typ string
		status            int
	}{
		{"past", path + "?timestamp=2026-01-02T03:04:05Z", string(status.RetrievalError), 404},
		{"malformed", path + "?timestamp=yesterday", string(status.MalformedValueError), 400},
		{"repeated", path + "?timestamp=2026-01-02T03:04:05Z&timestamp=2026-01-02T03:04:05Z", string(status.MalformedValueError), 400},
		{"unknown list", "/status/main/revocation/nope?timestamp=2026-01-02T03:04:05Z", "about:blank", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := e.send(t, http.MethodGet, tt.target, "", nil, nil)
			var p problemBody
			if err := json.Unmarshal(out, &p); err != nil || res.StatusCode != tt.status || p.Type != tt.typ ||
				res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %s", res.StatusCode, out)
			}
		})
	}
	if res, out := e.send(t, http.MethodHead, path+"?timestamp=2026-01-02T03:04:05Z", "", nil, nil); res.StatusCode != 404 || len(out) != 0 {
		t.Errorf("HEAD with timestamp: %d %q", res.StatusCode, out)
	}
}

// TestStatusTypes: VCALM's UpdateCredentialStatusRequest example names BitstringStatusList;
// the entry type is accepted too; the list credential's type is not a status type.
func TestStatusTypes(t *testing.T) {
	e := newEnv(t)
	const id = "urn:uuid:3c9e1a2b-4d5f-4e6a-8b7c-9d0e1f2a3b4c"
	e.issue(t, "/credentials/issue", credentialBody(e.Agent, map[string]any{"credentialId": id}))
	for _, tt := range []struct {
		typ    string
		status int
	}{
		{"BitstringStatusList", 200},
		{"BitstringStatusListEntry", 200},
		{"BitstringStatusListCredential", 400},
		{"", 400},
	} {
		update := map[string]any{"credentialId": id, "status": true,
			"credentialStatus": map[string]any{"type": tt.typ, "statusPurpose": "suspension"}}
		if res, out := e.do(t, http.MethodPost, "/credentials/status", tokenAcme, update); res.StatusCode != tt.status {
			t.Errorf("%q: %d %s", tt.typ, res.StatusCode, out)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
