package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

func TestIssuePolicyRefusals(t *testing.T) {
	e := issuertest.New(t)
	owned := e.KakuninAgent(t, "owned", false)
	foreign := e.KakuninAgent(t, "foreign", true)
	deactivated := e.KakuninAgent(t, "retired", false)
	e.Resolver.Deactivate(deactivated)
	noCert := e.KakuninAgent(t, "no-cert", false)
	e.Resolver.Set(noCert, issuertest.NoCertificateDocument(t, noCert))
	tests := []struct {
		name     string
		subject  string
		caller   issuer.Caller
		validity time.Duration
		want     error
		status   int
	}{
		{"unresolvable", "did:example:nobody", e.Caller, 0, issuer.ErrSubjectUnresolvable, 422},
		{"deactivated", deactivated, e.Caller, 0, issuer.ErrSubjectDeactivated, 422},
		{"no valid certificate", noCert, e.Caller, 0, issuer.ErrNoValidCertificate, 422},
		{"other tenant's agent", foreign, e.Caller, 0, issuer.ErrNotAuthorized, 403},
		{"caller of another tenant", owned, issuer.Caller{ID: "intruder", Tenant: "globex"}, 0, issuer.ErrNotAuthorized, 403},
		{"validity above maximum", e.Agent, e.Caller, 91 * 24 * time.Hour, issuer.ErrValidityExceeded, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
				Credential: issuertest.Credential(tt.subject), Caller: tt.caller,
				Options: issuer.IssueOptions{Validity: tt.validity},
			})
			var pe *issuer.PolicyError
			if !errors.Is(err, tt.want) || !errors.As(err, &pe) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if p := pe.Problem(); p.Status != tt.status || p.Type != issuer.ProblemTypeBase+pe.Reason() {
				t.Errorf("problem %+v", p)
			}
		})
	}
	// An instance that allows unresolved subjects issues to did:example, and still refuses a
	// resolved subject that fails a check.
	t.Run("unresolved subjects allowed", func(t *testing.T) {
		e.Main.AllowUnresolvedSubjects = true
		defer func() { e.Main.AllowUnresolvedSubjects = false }()
		if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
			Credential: issuertest.Credential("did:example:nobody"), Caller: e.Caller}); err != nil {
			t.Fatalf("did:example subject: %v", err)
		}
		for subject, want := range map[string]error{deactivated: issuer.ErrSubjectDeactivated, noCert: issuer.ErrNoValidCertificate,
			foreign: issuer.ErrNotAuthorized} {
			if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
				Credential: issuertest.Credential(subject), Caller: e.Caller}); !errors.Is(err, want) {
				t.Errorf("%s: %v, want %v", subject, err, want)
			}
		}
	})
	t.Run("owned agent is issued", func(t *testing.T) {
		if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
			Credential: issuertest.Credential(owned), Caller: e.Caller}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("validity at the maximum is issued", func(t *testing.T) {
		if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
			Credential: issuertest.Credential(e.Agent), Caller: e.Caller,
			Options: issuer.IssueOptions{Validity: 90 * 24 * time.Hour}}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIssueResolverFailures: a subject the resolver cannot find is refused (422), but a
// failure of the resolution itself is an internal error, not a verdict about the subject,
// even for an instance that allows unresolved subjects.
func TestIssueResolverFailures(t *testing.T) {
	e := issuertest.New(t)
	e.Main.AllowUnresolvedSubjects = true
	broken := e.KakuninAgent(t, "broken", false)
	e.Resolver.Fail(broken, errors.New("store: connection refused"))
	slow := "did:web:slow.example"
	e.Resolver.Fail(slow, fmt.Errorf("%w: %w", did.ErrNotFound, context.DeadlineExceeded))
	internal := "did:web:internal.example"
	e.Resolver.Fail(internal, did.ErrInternal)
	missing := e.KakuninAgent(t, "missing", false)
	e.Resolver.Fail(missing, did.ErrNotFound)
	for _, subject := range []string{broken, slow, internal} {
		_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
			Credential: issuertest.Credential(subject), Caller: e.Caller})
		var pe *issuer.PolicyError
		if err == nil || errors.As(err, &pe) || errors.Is(err, issuer.ErrInvalidRequest) {
			t.Errorf("%s: %v, want an internal error", subject, err)
		}
	}
	_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
		Credential: issuertest.Credential(missing), Caller: e.Caller})
	if !errors.Is(err, issuer.ErrSubjectUnresolvable) {
		t.Errorf("did:kakunin not found: %v, want SUBJECT_UNRESOLVABLE", err)
	}
}

func TestIssueScope(t *testing.T) {
	e := issuertest.New(t)
	tests := []struct {
		grants string
		want   error
	}{
		{`[{"actions": ["payments:create"]}]`, nil},
		{`[{"actions": ["payments:*"]}]`, nil},
		{`[{"actions": ["crm.contacts:read", "crm.contacts.notes:read", "crm.*:read"]}]`, nil},
		{`[{"actions": ["mcp:github/create_issue", "mcp:github/list_*"]}]`, nil},
		{`[{"actions": ["payments:create"]}, {"actions": ["crm.contacts:write"]}]`, issuer.ErrScopeExceeded},
		{`[{"actions": ["*:*"]}]`, issuer.ErrScopeExceeded},
		{`[{"actions": ["crm:read"]}]`, issuer.ErrScopeExceeded},
		{`[{"actions": ["mcp:*/create_issue"]}]`, issuer.ErrScopeExceeded},
		{`[{"actions": ["http:GET https://api.example.com/v1/*"]}]`, issuer.ErrScopeExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.grants, func(t *testing.T) {
			grants, err := scope.ParseGrants([]byte(tt.grants))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Issuer.IssueScope(context.Background(), issuer.ScopeRequest{
				Agent: e.Agent, Grants: grants, Delegator: scope.Party{ID: "did:web:acme.example", Name: "Acme"},
				Validity: 24 * time.Hour, Caller: e.Caller,
			})
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("instance without allowed scopes", func(t *testing.T) {
		grants, _ := scope.ParseGrants([]byte(`[{"actions": ["payments:create"]}]`))
		_, err := e.Issuer.IssueScope(context.Background(), issuer.ScopeRequest{Instance: "web", Agent: e.Agent,
			Grants: grants, Delegator: scope.Party{ID: "did:web:acme.example"}, Caller: e.Caller})
		if !errors.Is(err, issuer.ErrScopeExceeded) {
			t.Errorf("error %v", err)
		}
	})
}

func TestPolicyErrorProblem(t *testing.T) {
	err := error(&issuer.PolicyError{Err: issuer.ErrNotAuthorized, Detail: "x"})
	var pe *issuer.PolicyError
	if !errors.As(err, &pe) || pe.Problem().Status != http.StatusForbidden || pe.Reason() != "NOT_AUTHORIZED" {
		t.Errorf("%+v", pe.Problem())
	}
}

// TestIssueFarFutureValidity: a validity period within the maximum that ends further from now
// than the maximum (it starts in the far future) is refused too.
func TestIssueFarFutureValidity(t *testing.T) {
	e := issuertest.New(t)
	for _, tt := range []struct {
		name string
		from time.Time
		want error
	}{
		{"starts in a year", e.Clock.Now().Add(e.Main.MaxValidity), issuer.ErrValidityExceeded},
		{"starts in an hour", e.Clock.Now().Add(time.Hour), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(issuertest.Credential(e.Agent), &doc); err != nil {
				t.Fatal(err)
			}
			doc["validFrom"] = tt.from.Format(time.RFC3339)
			doc["validUntil"] = tt.from.Add(24 * time.Hour).Format(time.RFC3339)
			raw, _ := json.Marshal(doc)
			_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Credential: raw, Caller: e.Caller})
			if !errors.Is(err, tt.want) && (tt.want != nil || err != nil) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}
