package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/status"
)

func TestIssueDataIntegrity(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential(out.VerifiableCredential, vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer().ID != e.Main.DID || c.ID() != out.ID || !strings.HasPrefix(out.ID, "urn:uuid:") {
		t.Errorf("issuer %q id %q", c.Issuer().ID, c.ID())
	}
	from, _ := c.ValidFrom()
	until, _ := c.ValidUntil()
	if !from.Equal(issuertest.Start) || until.Sub(from) != e.Main.MaxValidity {
		t.Errorf("validity %v .. %v", from, until)
	}
	var purposes []string
	for _, s := range c.Status() {
		entry, err := status.ParseEntry(s.Value)
		if err != nil {
			t.Fatal(err)
		}
		purposes = append(purposes, string(entry.Purpose))
		if !strings.HasPrefix(entry.ListCredential, issuertest.BaseURL+"/status/main/"+string(entry.Purpose)+"/") {
			t.Errorf("list URL %s", entry.ListCredential)
		}
	}
	if strings.Join(purposes, ",") != "revocation,suspension" {
		t.Errorf("status purposes %v", purposes)
	}
	proof, _ := c.Get("proof")
	if p, _ := proof.(map[string]any); p["cryptosuite"] != "eddsa-rdfc-2022" {
		t.Errorf("proof %v", proof)
	}
	rec, err := e.Store.Credential(ctx, out.ID)
	if err != nil || rec.SubjectDID != e.Agent || rec.TenantID != issuertest.Tenant || len(rec.Status) != 2 {
		t.Errorf("record %+v, %v", rec, err)
	}
	entries := auditEntries(t, e)
	if len(entries) != 1 || entries[0].Type != audit.CredentialIssued || entries[0].Subject != e.Agent {
		t.Errorf("audit %+v", entries)
	}
}

func TestIssueJWT(t *testing.T) {
	e := issuertest.New(t)
	out, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
		Credential: issuertest.Credential(e.Agent), Options: issuer.IssueOptions{Format: issuer.FormatJWT}, Caller: e.Caller,
	})
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(out.VerifiableCredential, &env); err != nil {
		t.Fatal(err)
	}
	mt, jws, err := jose.Unenvelope(env)
	if err != nil || mt != "application/vc+jwt" {
		t.Fatalf("unenvelope: %q %v", mt, err)
	}
	v, err := jose.VerifyCredential(context.Background(), jws, jose.VerifyOptions{
		Resolver: e.Resolver, Now: issuertest.Start.Add(time.Hour), AnyKeyType: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Credential.Status()) != 2 {
		t.Errorf("status entries: %d", len(v.Credential.Status()))
	}
}

func TestIssueV11Input(t *testing.T) {
	e := issuertest.New(t)
	in := `{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
		"issuanceDate": "2026-03-01T00:00:00Z", "expirationDate": "2026-04-01T00:00:00Z",
		"credentialSubject": {"id": "` + e.Agent + `"}}`
	out, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Credential: []byte(in), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential(out.VerifiableCredential, vc.ParseOptions{RejectV1: true})
	if err != nil {
		t.Fatal(err)
	}
	if from, _ := c.ValidFrom(); !from.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("validFrom %v", from)
	}
	if _, ok := c.Get("issuanceDate"); ok {
		t.Error("issuanceDate kept")
	}
}

func TestIssueInvalidRequests(t *testing.T) {
	e := issuertest.New(t)
	cred := func(extra string) []byte {
		return []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
			"credentialSubject": {"id": "` + e.Agent + `"}` + extra + `}`)
	}
	withContext := func(extra string) []byte {
		return []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2", ` + extra + `], "type": ["VerifiableCredential"],
			"credentialSubject": {"id": "` + e.Agent + `"}}`)
	}
	jcs := issuer.IssueOptions{Cryptosuite: "eddsa-jcs-2022"}
	jwt := issuer.IssueOptions{Format: issuer.FormatJWT}
	tests := []struct {
		name string
		req  issuer.IssueRequest
		want error
	}{
		{"not JSON", issuer.IssueRequest{Credential: []byte(`{`)}, issuer.ErrInvalidRequest},
		// JCS and vc+jwt never process JSON-LD to sign, but their credentials must be conforming JSON-LD too.
		{"jcs: unknown context", issuer.IssueRequest{Credential: withContext(`"https://example.com/unknown/v1"`), Options: jcs}, issuer.ErrInvalidRequest},
		{"jwt: unknown context", issuer.IssueRequest{Credential: withContext(`"https://example.com/unknown/v1"`), Options: jwt}, issuer.ErrInvalidRequest},
		{"jcs: protected term redefined", issuer.IssueRequest{Credential: withContext(`{"VerifiableCredential": "https://example.org/#Bad"}`), Options: jcs}, issuer.ErrInvalidRequest},
		{"jwt: protected term redefined", issuer.IssueRequest{Credential: withContext(`{"VerifiableCredential": "https://example.org/#Bad"}`), Options: jwt}, issuer.ErrInvalidRequest},
		{"array", issuer.IssueRequest{Credential: []byte(`[]`)}, issuer.ErrInvalidRequest},
		{"proof present", issuer.IssueRequest{Credential: cred(`, "proof": {}`)}, issuer.ErrInvalidRequest},
		{"status present", issuer.IssueRequest{Credential: cred(`, "credentialStatus": {}`)}, issuer.ErrInvalidRequest},
		{"other issuer", issuer.IssueRequest{Credential: cred(`, "issuer": "did:example:other"`)}, issuer.ErrInvalidRequest},
		{"null issuer", issuer.IssueRequest{Credential: cred(`, "issuer": null`)}, issuer.ErrInvalidRequest},
		{"numeric issuer", issuer.IssueRequest{Credential: cred(`, "issuer": 4`)}, issuer.ErrInvalidRequest},
		{"bad validFrom", issuer.IssueRequest{Credential: cred(`, "validFrom": "yesterday"`)}, issuer.ErrInvalidRequest},
		{"numeric validFrom", issuer.IssueRequest{Credential: cred(`, "validFrom": 1772366400`)}, issuer.ErrInvalidRequest},
		{"null validFrom", issuer.IssueRequest{Credential: cred(`, "validFrom": null`)}, issuer.ErrInvalidRequest},
		{"validUntil before validFrom", issuer.IssueRequest{Credential: cred(`, "validUntil": "2020-01-01T00:00:00Z"`)}, issuer.ErrInvalidRequest},
		{"negative validity", issuer.IssueRequest{Credential: cred(""), Options: issuer.IssueOptions{Validity: -time.Hour}}, issuer.ErrInvalidRequest},
		{"jwt with cryptosuite", issuer.IssueRequest{Credential: cred(""), Options: issuer.IssueOptions{Format: issuer.FormatJWT, Cryptosuite: "eddsa-rdfc-2022"}}, issuer.ErrInvalidRequest},
		{"no type", issuer.IssueRequest{Credential: []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": {"id": "did:example:1"}}`)}, issuer.ErrInvalidRequest},
		{"unknown format", issuer.IssueRequest{Credential: cred(""), Options: issuer.IssueOptions{Format: "ldp"}}, issuer.ErrInvalidRequest},
		{"unknown cryptosuite", issuer.IssueRequest{Credential: cred(""), Options: issuer.IssueOptions{Cryptosuite: "rsa-2000"}}, issuer.ErrInvalidRequest},
		{"wrong key for suite", issuer.IssueRequest{Credential: cred(""), Options: issuer.IssueOptions{Cryptosuite: "ecdsa-rdfc-2019"}}, issuer.ErrInvalidRequest},
		{"unknown instance", issuer.IssueRequest{Instance: "nope", Credential: cred("")}, issuer.ErrUnknownInstance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Caller = e.Caller
			if _, err := e.Issuer.Issue(context.Background(), tt.req); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	if n := len(auditEntries(t, e)); n != 0 {
		t.Errorf("%d audit entries after refusals", n)
	}
}

func TestIssueDuplicateID(t *testing.T) {
	e := issuertest.New(t)
	body := []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:6f0c7c36-5d1e-4d38-9a41-4cf0d6b0a1f7",
		"type": ["VerifiableCredential"], "credentialSubject": {"id": "` + e.Agent + `"}}`)
	req := issuer.IssueRequest{Credential: body, Caller: e.Caller}
	if _, err := e.Issuer.Issue(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Issuer.Issue(context.Background(), req); !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("second issuance: %v", err)
	}
	if n := len(auditEntries(t, e)); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
}

func auditEntries(t *testing.T, e *issuertest.Env) []audit.Entry {
	t.Helper()
	stored, err := e.Mem.AuditLog().EntriesRange(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, s := range stored {
		entry, err := audit.ParseEntry(s.Entry)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry)
	}
	return out
}

// TestDefaultMaxValidityIsACalendarYear: "valid for a year" from 1 March 2027 spans
// 29 February 2028, 366 days, which the default must allow.
func TestDefaultMaxValidityIsACalendarYear(t *testing.T) {
	from := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	if year := from.AddDate(1, 0, 0).Sub(from); year > issuer.DefaultMaxValidity {
		t.Fatalf("a calendar year (%v) exceeds DefaultMaxValidity (%v)", year, issuer.DefaultMaxValidity)
	}
}
