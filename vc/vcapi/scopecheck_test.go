package vcapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

const checkPath = "/credentials/verify/scope"

// scopeFixture is an environment whose issuer and verifier clock runs an hour behind the wall
// clock, which the scope check reads, with a scope credential issued to a did:kakunin agent.
type scopeFixture struct {
	*env
	agent string
	at    time.Time // the instant of the requests: the service's clock, to the minute
	vc    json.RawMessage
}

func newScopeFixture(t *testing.T) *scopeFixture {
	f := &scopeFixture{env: newEnv(t)}
	f.Clock.Advance(time.Since(issuertest.Start) - time.Hour) // issued an hour ago, near the wall clock
	f.agent = f.KakuninAgent(t, "agent-x", false)
	f.at = time.Now().UTC().Truncate(time.Minute)
	f.vc = f.issueScope(t, f.grants(), nil, 86400)
	f.Clock.Advance(f.at.Sub(f.Clock.Now())) // the service's clock now reads f.at
	return f
}

// grants: payments of up to 250.00 EUR by SEPA transfer to the bank's payment endpoints, in
// the minute of f.at; refunds of up to 1000.00 EUR a day, ten a minute; CRM reads.
func (f *scopeFixture) grants() []any {
	end := f.at.Add(time.Minute).Format("15:04")
	if end == "00:00" {
		end = "24:00"
	}
	window := map[string]any{"start": f.at.Format("15:04"), "end": end, "timezone": "UTC"}
	return []any{
		map[string]any{"actions": []string{"payments:create"},
			"resources": []string{"https://api.bank.example/v1/accounts/*/payments"},
			"audiences": []string{"https://api.bank.example"},
			"limits": map[string]any{"maxAmount": eur("250.00"), "instruments": []string{"sepa-credit-transfer"},
				"timeWindows": []any{window}}},
		map[string]any{"actions": []string{"payments:refund"},
			"limits": map[string]any{"dailyVolume": eur("1000.00"), "rate": map[string]any{"count": 10, "period": "PT1M"}}},
		map[string]any{"actions": []string{"crm.*:read"}},
	}
}

func eur(v string) map[string]any { return map[string]any{"value": v, "currency": "EUR"} }

func (f *scopeFixture) issueScope(t *testing.T, grants []any, options map[string]any, validity int) json.RawMessage {
	t.Helper()
	return f.issue(t, "/credentials/issue/scope", map[string]any{"agent": f.agent, "validitySeconds": validity,
		"delegator": map[string]any{"id": "did:web:acme.example"}, "grants": grants, "options": options})
}

// payment is a request the first grant allows; the changes are applied to it.
func (f *scopeFixture) payment(changes map[string]any) map[string]any {
	r := map[string]any{"action": "payments:create", "resource": "https://api.bank.example/v1/accounts/42/payments",
		"audience": "https://api.bank.example", "amount": eur("120.00"), "instrument": "sepa-credit-transfer",
		"at": f.at.Format(time.RFC3339)}
	for k, v := range changes {
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
	}
	return r
}

type checkAnswer struct {
	Allowed      bool         `json:"allowed"`
	Reason       string       `json:"reason"`
	Grant        int          `json:"grant"`
	Limit        string       `json:"limit"`
	Detail       string       `json:"detail"`
	At           string       `json:"at"`
	Agent        string       `json:"agent"`
	Verification verifyResult `json:"verification"`
}

// check asks the endpoint, without a token, and requires a 200.
func (f *scopeFixture) check(t *testing.T, vc json.RawMessage, request map[string]any) checkAnswer {
	t.Helper()
	res, out := f.do(t, http.MethodPost, checkPath, "", map[string]any{"verifiableCredential": vc, "request": request})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("check: %d %s", res.StatusCode, out)
	}
	var a checkAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestScopeCheckDecisions(t *testing.T) {
	f := newScopeFixture(t)
	later := f.at.Add(time.Minute).Format(time.RFC3339)
	refund := func(amount, today string, recent map[string]any) map[string]any {
		r := map[string]any{"action": "payments:refund", "amount": eur(amount), "at": f.at.Format(time.RFC3339)}
		if today != "" {
			r["dailyTotalSoFar"] = eur(today)
		}
		if recent != nil {
			r["recentRequests"] = recent
		}
		return r
	}
	tests := []struct {
		name    string
		request map[string]any
		allowed bool
		reason  string
		grant   int
		limit   string
	}{
		{"payment", f.payment(nil), true, "allowed", 0, ""},
		{"payment at the limit", f.payment(map[string]any{"amount": eur("250.00")}), true, "allowed", 0, ""},
		{"amount over the limit", f.payment(map[string]any{"amount": eur("250.01")}), false, "max-amount-exceeded", 0, "maxAmount"},
		{"other currency", f.payment(map[string]any{"amount": map[string]any{"value": "120.00", "currency": "USD"}}), false, "currency-mismatch", 0, "maxAmount"},
		{"no amount", f.payment(map[string]any{"amount": nil}), false, "input-required", 0, "maxAmount"},
		{"action not granted", f.payment(map[string]any{"action": "payments:delete"}), false, "action-not-granted", -1, ""},
		{"other resource", f.payment(map[string]any{"resource": "https://api.bank.example/v1/accounts/42/refunds"}), false, "resource-not-granted", 0, ""},
		{"other audience", f.payment(map[string]any{"audience": "https://evil.example"}), false, "audience-not-granted", 0, ""},
		{"other instrument", f.payment(map[string]any{"instrument": "card"}), false, "instrument-denied", 0, "instruments"},
		{"outside the time window", f.payment(map[string]any{"at": later}), false, "outside-time-window", 0, "timeWindows"},
		{"malformed action", f.payment(map[string]any{"action": "pay ments"}), false, "invalid-request", -1, ""},
		{"refund", refund("100.00", "900.00", map[string]any{"PT1M": 9}), true, "allowed", 1, ""},
		{"refund over the daily volume", refund("100.01", "900.00", map[string]any{"PT1M": 0}), false, "daily-volume-exceeded", 1, "dailyVolume"},
		{"refund without the day's total", refund("1.00", "", map[string]any{"PT1M": 0}), false, "input-required", 1, "dailyVolume"},
		{"refund over the rate", refund("1.00", "0", map[string]any{"PT1M": 10}), false, "rate-exceeded", 1, "rate"},
		{"refund without counts", refund("1.00", "0", nil), false, "input-required", 1, "rate"},
		{"refund with another period's count", refund("1.00", "0", map[string]any{"PT60S": 0}), false, "input-required", 1, "rate"},
		{"refund with the largest count", refund("1.00", "0", map[string]any{"PT1M": 1_000_000_000}), false, "rate-exceeded", 1, "rate"},
		{"crm read", map[string]any{"action": "crm.contacts:read", "at": f.at.Format(time.RFC3339)}, true, "allowed", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.check(t, f.vc, tt.request)
			if a.Allowed != tt.allowed || a.Reason != tt.reason || a.Grant != tt.grant || a.Limit != tt.limit {
				t.Errorf("got allowed %v, reason %s, grant %d, limit %q (%s); want %v %s %d %q",
					a.Allowed, a.Reason, a.Grant, a.Limit, a.Detail, tt.allowed, tt.reason, tt.grant, tt.limit)
			}
			if !a.Verification.Verified || len(a.Verification.ProblemDetails) != 0 || a.Agent != f.agent {
				t.Errorf("verification %+v, agent %q", a.Verification, a.Agent)
			}
			if a.At != tt.request["at"] {
				t.Errorf("decided at %s, asked at %s", a.At, tt.request["at"])
			}
		})
	}
	t.Run("missing count names the period", func(t *testing.T) {
		a := f.check(t, f.vc, refund("1.00", "0", nil))
		if !strings.Contains(a.Detail, `recentRequests["PT1M"]`) {
			t.Errorf("detail %q", a.Detail)
		}
	})
}

// TestScopeCheckDefaultTime: without request.at the decision is made at the service's clock.
func TestScopeCheckDefaultTime(t *testing.T) {
	f := newScopeFixture(t)
	a := f.check(t, f.vc, map[string]any{"action": "crm.contacts:read"})
	at, err := time.Parse(time.RFC3339Nano, a.At)
	if err != nil || !at.Equal(f.Clock.Now()) {
		t.Errorf("decided at %q (%v), the service's clock says %s", a.At, err, f.Clock.Now())
	}
	if !a.Allowed {
		t.Errorf("%+v", a)
	}
}

// TestScopeCheckUnverified: a credential that fails a check of the verifier is never allowed,
// whatever its scope says; the answer carries the failed checks.
func TestScopeCheckUnverified(t *testing.T) {
	f := newScopeFixture(t)
	big := f.payment(map[string]any{"amount": eur("5000.00")})
	if a := f.check(t, f.vc, big); a.Reason != "max-amount-exceeded" {
		t.Fatalf("untampered credential: %+v", a)
	}
	var doc map[string]any
	if err := json.Unmarshal(f.vc, &doc); err != nil {
		t.Fatal(err)
	}
	grant := doc["credentialSubject"].(map[string]any)["scope"].([]any)[0].(map[string]any)
	grant["limits"].(map[string]any)["maxAmount"] = eur("1000000.00")
	tampered, _ := json.Marshal(doc)

	expired := f.issueScope(t, f.grants(), nil, 60)
	jwt := f.issueScope(t, f.grants(), map[string]any{"format": "vc+jwt"}, 86400)
	suspended := f.issueScope(t, f.grants(), nil, 86400)
	var sdoc struct{ ID string }
	if err := json.Unmarshal(suspended, &sdoc); err != nil {
		t.Fatal(err)
	}
	update := map[string]any{"credentialId": sdoc.ID, "status": true,
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}}
	if res, out := f.do(t, http.MethodPost, "/credentials/status", tokenAcme, update); res.StatusCode != http.StatusOK {
		t.Fatalf("suspend: %d %s", res.StatusCode, out)
	}
	if a := f.check(t, jwt, f.payment(nil)); !a.Allowed {
		t.Errorf("vc+jwt credential: %+v", a)
	}
	later := maps.Clone(big) // past the expired credential's validUntil, within the clock skew allowed
	later["at"] = f.at.Add(2 * time.Minute).Format(time.RFC3339)
	tests := []struct {
		name    string
		vc      json.RawMessage
		req     map[string]any
		problem string // a problem type the verification must report
	}{
		{"tampered limit", tampered, big, ""},
		{"suspended", suspended, big, verifier.ProblemTypeBase + "SUSPENDED"},
		{"expired", expired, later, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.check(t, tt.vc, tt.req)
			if a.Allowed || a.Reason != string(vcapi.ReasonNotVerified) || a.Grant != -1 || a.Verification.Verified || len(a.Verification.ProblemDetails) == 0 {
				t.Fatalf("%+v", a)
			}
			if tt.problem != "" && a.Verification.ProblemDetails[0].Type != tt.problem {
				t.Errorf("problem %+v, want %s", a.Verification.ProblemDetails, tt.problem)
			}
		})
	}
	t.Run("deactivated subject", func(t *testing.T) {
		f.Resolver.Deactivate(f.agent)
		a := f.check(t, f.vc, f.payment(nil))
		if a.Allowed || a.Reason != string(vcapi.ReasonNotVerified) ||
			len(a.Verification.ProblemDetails) != 1 || a.Verification.ProblemDetails[0].Type != verifier.ProblemTypeBase+"SUBJECT_DEACTIVATED" {
			t.Errorf("%+v", a)
		}
	})
}

func TestScopeCheckBadInput(t *testing.T) {
	f := newScopeFixture(t)
	plain := f.issue(t, "/credentials/issue", credentialBody(f.Agent, nil))
	body := func(vc json.RawMessage, request map[string]any, extra string) string {
		r, _ := json.Marshal(request)
		return fmt.Sprintf(`{"verifiableCredential": %s, "request": %s%s}`, vc, r, extra)
	}
	many := map[string]any{}
	for i := range 65 {
		many[fmt.Sprintf("PT%dS", i+1)] = 0
	}
	noProof := strings.Replace(string(f.vc), `"proof"`, `"proof_"`, 1)
	tests := []struct {
		name, body string
		status     int
		typ        string
	}{
		{"empty", ``, 400, ""},
		{"not JSON", `{`, 400, ""},
		{"array", `[]`, 400, ""},
		{"no credential", `{"request": {"action": "crm.contacts:read"}}`, 400, ""},
		{"credential string", `{"verifiableCredential": "x", "request": {"action": "crm.contacts:read"}}`, 400, ""},
		{"no request", `{"verifiableCredential": ` + string(f.vc) + `}`, 400, ""},
		{"request null", body(f.vc, nil, ""), 400, ""},
		{"request string", `{"verifiableCredential": ` + string(f.vc) + `, "request": "pay"}`, 400, ""},
		{"unknown member", body(f.vc, f.payment(nil), `, "options": {}`), 400, ""},
		{"unknown request member", body(f.vc, f.payment(map[string]any{"amout": eur("1")}), ""), 400, ""},
		{"unknown amount member", body(f.vc, f.payment(map[string]any{"amount": map[string]any{"value": "1", "currency": "EUR", "minor": 2}}), ""), 400, ""},
		{"amount number", body(f.vc, f.payment(map[string]any{"amount": 120}), ""), 400, ""},
		{"no action", body(f.vc, f.payment(map[string]any{"action": nil}), ""), 400, ""},
		{"action number", body(f.vc, f.payment(map[string]any{"action": 7}), ""), 400, ""},
		{"at not a date-time", body(f.vc, f.payment(map[string]any{"at": "tomorrow"}), ""), 400, ""},
		{"at an hour ago", body(f.vc, f.payment(map[string]any{"at": f.at.Add(-time.Hour).Format(time.RFC3339)}), ""), 400, ""},
		{"at an hour ahead", body(f.vc, f.payment(map[string]any{"at": f.at.Add(time.Hour).Format(time.RFC3339)}), ""), 400, ""},
		{"negative count", body(f.vc, f.payment(map[string]any{"recentRequests": map[string]any{"PT1M": -1}}), ""), 400, ""},
		{"count too large", body(f.vc, f.payment(map[string]any{"recentRequests": map[string]any{"PT1M": 1_000_000_001}}), ""), 400, ""},
		{"count overflowing", body(f.vc, f.payment(map[string]any{"recentRequests": map[string]any{"PT1M": json.Number("100000000000000000000")}}), ""), 400, ""},
		{"count fraction", body(f.vc, f.payment(map[string]any{"recentRequests": map[string]any{"PT1M": 1.5}}), ""), 400, ""},
		{"too many counts", body(f.vc, f.payment(map[string]any{"recentRequests": many}), ""), 400, ""},
		{"credential without proof", body(json.RawMessage(noProof), f.payment(nil), ""), 400, ""},
		{"too large", body(f.vc, f.payment(map[string]any{"venue": strings.Repeat("v", 64<<10)}), ""), 413, ""},
		{"not a scope credential", body(plain, f.payment(nil), ""), 422, vcapi.ProblemTypeNotScope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, out := f.do(t, http.MethodPost, checkPath, "", tt.body)
			if res.StatusCode != tt.status || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %q, want %d problem: %s", res.StatusCode, res.Header.Get("Content-Type"), tt.status, out)
			}
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(out, &p); err != nil || p.Status != tt.status || p.Type == "" || tt.typ != "" && p.Type != tt.typ {
				t.Errorf("problem %s", out)
			}
		})
	}
	t.Run("not JSON media type", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, checkPath, strings.NewReader(body(f.vc, f.payment(nil), "")))
		req.Header.Set("Content-Type", "text/plain")
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}
