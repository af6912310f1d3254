package cahttp_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// enrollPrompt enrols an agent with another prompt digest and returns its DID.
func (e *env) enrollPrompt(prompt string) string {
	e.t.Helper()
	digest := kakunin.Digest(sha256.Sum256([]byte(prompt)))
	resp, body := e.postJSON("/ca/owners/acme/enroll", tokenOwner, map[string]any{
		"csr": csrPEM(e.t, ed25519Key("agent "+prompt)), "modelDigest": modelDigest.String(), "promptDigest": digest.String(),
	})
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("enroll: %d %s", resp.StatusCode, body)
	}
	var out struct{ DID string }
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out.DID
}

// enrollOtherTenant makes an owner "beta" of tenant-b, enrols an agent under it
// and returns its DID.
func (e *env) enrollOtherTenant() string {
	e.t.Helper()
	_, err := e.ca.InitOwner(context.Background(), ca.OwnerRequest{ID: "beta", TenantID: "tenant-b", Signer: ed25519Key("beta")})
	if err != nil {
		e.t.Fatal(err)
	}
	resp, body := e.postJSON("/ca/owners/beta/enroll", tokenOther, map[string]any{
		"csr": csrPEM(e.t, ed25519Key("agent beta")), "modelDigest": modelDigest.String(), "promptDigest": promptDigest.String(),
	})
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("enroll under beta: %d %s", resp.StatusCode, body)
	}
	var out struct{ DID string }
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out.DID
}

func TestLink(t *testing.T) {
	e := newEnv(t)
	e.enroll(ed25519Key("agent"))
	old := e.did().String()
	next, third, gone := e.enrollPrompt("v2"), e.enrollPrompt("v3"), e.enrollPrompt("gone")
	if resp, body := e.do(http.MethodPost, "/ca/dids/"+gone+"/deactivate", tokenOwner, "", nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("deactivate: %d %s", resp.StatusCode, body)
	}
	path := func(d string) string { return "/ca/dids/" + d + "/link" }
	to := func(d string) map[string]any { return map[string]any{"successor": d} }
	foreign := "did:kakunin:" + modelDigest.String() + ":" + promptDigest.String() + ":z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	otherTenant := e.enrollOtherTenant()
	tests := []struct {
		name   string
		path   string
		token  string
		body   any
		status int
	}{
		{"no token", path(old), "", to(next), http.StatusUnauthorized},
		{"other tenant", path(old), tokenOther, to(next), http.StatusForbidden},
		{"action not granted", path(old), tokenReader, to(next), http.StatusForbidden},
		{"not a DID", path("did:web:example.com"), tokenOwner, to(next), http.StatusBadRequest},
		{"successor not a DID", path(old), tokenOwner, to("did:web:example.com"), http.StatusBadRequest},
		{"no successor", path(old), tokenOwner, map[string]any{}, http.StatusBadRequest},
		{"no body", path(old), tokenOwner, []byte{}, http.StatusBadRequest},
		{"too large", path(old), tokenOwner, to(strings.Repeat("d", 40<<10)), http.StatusRequestEntityTooLarge},
		{"owner not here", path(foreign), tokenOwner, to(next), http.StatusNotFound},
		{"successor's owner not here", path(old), tokenOwner, to(foreign), http.StatusNotFound},
		// The token may not act for the successor's owner: refused before the CA.
		{"successor's owner not granted", path(old), tokenOwner, to(otherTenant), http.StatusForbidden},
		// The token may act for every owner, but the successor's is another tenant's.
		{"successor of another tenant", path(old), tokenAll, to(otherTenant), http.StatusForbidden},
		{"self", path(old), tokenOwner, to(old), http.StatusBadRequest},
		{"deactivated", path(old), tokenOwner, to(gone), http.StatusConflict},
		{"ok", path(old), tokenOwner, to(next), http.StatusCreated},
		{"already succeeded", path(old), tokenOwner, to(third), http.StatusConflict},
		{"cycle", path(next), tokenOwner, to(old), http.StatusConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.postJSON(tc.path, tc.token, tc.body)
			if tc.status != http.StatusCreated {
				wantProblem(t, resp, body, tc.status)
				if links, err := e.db.Links(context.Background(), otherTenant); err != nil || len(links) != 0 {
					t.Fatalf("links of %s = %+v, %v; want none", otherTenant, links, err)
				}
				return
			}
			var got struct {
				Predecessor, Successor                   string
				PredecessorVersionID, SuccessorVersionID int64
				Record                                   string
			}
			if resp.StatusCode != tc.status || json.Unmarshal(body, &got) != nil {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if got.Predecessor != old || got.Successor != next || got.PredecessorVersionID != 2 || got.SuccessorVersionID != 2 {
				t.Errorf("answer %+v", got)
			}
			if rec, err := kakunin.ParseLinkRecord([]byte(got.Record)); err != nil || rec.Successor != next {
				t.Errorf("record %q: %+v, %v", got.Record, rec, err)
			}
		})
	}
}
