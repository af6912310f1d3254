package scope_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

func TestParseScope(t *testing.T) {
	s := parse(t, credentialWith(paymentsGrants))
	if s.Agent != agent || s.Delegator != (scope.Party{ID: "did:web:acme.example", Name: "Acme Treasury"}) {
		t.Errorf("agent %q delegator %+v", s.Agent, s.Delegator)
	}
	if len(s.Grants) != 4 || len(s.Grants[0].Actions) != 1 || s.Grants[0].Actions[0].Kind() != scope.KindResource {
		t.Fatalf("grants %+v", s.Grants)
	}
	l := s.Grants[0].Limits
	if *l.MaxAmount != (scope.Amount{Value: "250.00", Currency: "EUR"}) || *l.Rate != (scope.Rate{Count: 10, Period: time.Minute, Written: "PT1M"}) {
		t.Errorf("limits %+v %+v", l.MaxAmount, l.Rate)
	}
	w := l.TimeWindows[0]
	if w.Start != 9*time.Hour || w.End != 17*time.Hour+30*time.Minute || w.Location.String() != "Europe/Berlin" || len(w.Days) != 5 {
		t.Errorf("window %+v", w)
	}
	if !s.ValidUntil.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("validUntil %v", s.ValidUntil)
	}
}

func TestParseScopeRejects(t *testing.T) {
	base := credentialWith(paymentsGrants)
	grant := func(g string) string { return credentialWith(`[` + g + `]`) }
	limits := func(l string) string { return grant(`{"actions": ["a:b"], "limits": ` + l + `}`) }
	tests := []struct {
		name, doc, path string
		pattern         bool
	}{
		{"not a scope credential", strings.Replace(base, `"KakuninScopeCredential"`, `"OtherCredential"`, 1), "/type", false},
		{"no kakunin context", strings.Replace(base, `, "https://kakunin.dev/ns/v1"`, ``, 1), "/@context", false},
		{"no validUntil", strings.Replace(base, `"validUntil": "2026-06-01T00:00:00Z",`, ``, 1), "/validUntil", false},
		{"subject not a DID", strings.Replace(base, `"id": "`+agent+`"`, `"id": "https://agent.example"`, 1), "/credentialSubject/id", false},
		{"unknown subject member", strings.Replace(base, `"scope":`, `"scopes": [], "scope":`, 1), "/credentialSubject/scopes", false},
		{"delegator missing", strings.Replace(base, `"delegator": {"id": "did:web:acme.example", "name": "Acme Treasury"},`, ``, 1), "/credentialSubject/delegator", false},
		{"delegator id not a URL", strings.Replace(base, `"id": "did:web:acme.example"`, `"id": "Acme"`, 1), "/credentialSubject/delegator/id", false},
		{"scope empty", credentialWith(`[]`), "/credentialSubject/scope", false},
		{"grant without actions", grant(`{"resources": ["https://a.example/"]}`), "/credentialSubject/scope/0/actions", false},
		{"bad action", grant(`{"actions": ["payments:create", "crm.*.x:read"]}`), "/credentialSubject/scope/0/actions/1", true},
		{"duplicate action", grant(`{"actions": ["a:b", "a:b"]}`), "/credentialSubject/scope/0/actions/1", false},
		{"bad resource pattern", grant(`{"actions": ["a:b"], "resources": ["https://a.example/x*"]}`), "/credentialSubject/scope/0/resources/0", true},
		{"bad audience", grant(`{"actions": ["a:b"], "audiences": ["api.example"]}`), "/credentialSubject/scope/0/audiences/0", true},
		{"unknown grant member", grant(`{"actions": ["a:b"], "limit": {}}`), "/credentialSubject/scope/0/limit", false},
		{"empty limits", limits(`{}`), "/credentialSubject/scope/0/limits", false},
		{"amount as number", limits(`{"maxAmount": {"value": 250, "currency": "EUR"}}`), "/credentialSubject/scope/0/limits/maxAmount/value", false},
		{"amount with exponent", limits(`{"maxAmount": {"value": "1e3", "currency": "EUR"}}`), "/credentialSubject/scope/0/limits/maxAmount/value", false},
		{"amount with leading zero", limits(`{"maxAmount": {"value": "0250", "currency": "EUR"}}`), "/credentialSubject/scope/0/limits/maxAmount/value", false},
		{"amount with 19 fraction digits", limits(`{"maxAmount": {"value": "0.0000000000000000001", "currency": "EUR"}}`), "/credentialSubject/scope/0/limits/maxAmount/value", false},
		{"currency lower case", limits(`{"dailyVolume": {"value": "1", "currency": "eur"}}`), "/credentialSubject/scope/0/limits/dailyVolume/currency", false},
		{"rate count zero", limits(`{"rate": {"count": 0, "period": "PT1M"}}`), "/credentialSubject/scope/0/limits/rate/count", false},
		{"rate count fraction", limits(`{"rate": {"count": 1.5, "period": "PT1M"}}`), "/credentialSubject/scope/0/limits/rate/count", false},
		{"rate period in months", limits(`{"rate": {"count": 1, "period": "P1M"}}`), "/credentialSubject/scope/0/limits/rate/period", false},
		{"rate period zero", limits(`{"rate": {"count": 1, "period": "PT0S"}}`), "/credentialSubject/scope/0/limits/rate/period", false},
		{"rate period bare T", limits(`{"rate": {"count": 1, "period": "P1DT"}}`), "/credentialSubject/scope/0/limits/rate/period", false},
		{"empty instruments", limits(`{"instruments": []}`), "/credentialSubject/scope/0/limits/instruments", false},
		{"bad day", limits(`{"timeWindows": [{"days": ["monday"], "start": "09:00", "end": "10:00", "timezone": "UTC"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/days/0", false},
		{"bad start", limits(`{"timeWindows": [{"start": "9:00", "end": "10:00", "timezone": "UTC"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/start", false},
		{"end 24:01", limits(`{"timeWindows": [{"start": "09:00", "end": "24:01", "timezone": "UTC"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/end", false},
		{"end before start", limits(`{"timeWindows": [{"start": "22:00", "end": "02:00", "timezone": "UTC"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/end", false},
		{"unknown zone", limits(`{"timeWindows": [{"start": "09:00", "end": "10:00", "timezone": "Mars/Olympus_Mons"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/timezone", false},
		{"local zone", limits(`{"timeWindows": [{"start": "09:00", "end": "10:00", "timezone": "Local"}]}`), "/credentialSubject/scope/0/limits/timeWindows/0/timezone", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parseErr(tt.doc)
			var e *vc.Error
			if !errors.Is(err, vc.ErrMalformedValue) || !errors.As(err, &e) || e.Path != tt.path {
				t.Fatalf("error = %v, want a malformed value at %s", err, tt.path)
			}
			if errors.Is(err, scope.ErrInvalidPattern) != tt.pattern {
				t.Errorf("errors.Is(err, ErrInvalidPattern) = %v, want %v", !tt.pattern, tt.pattern)
			}
		})
	}
}

func TestParseGrantsAndNewCredential(t *testing.T) {
	grants, err := scope.ParseGrants([]byte(paymentsGrants))
	if err != nil {
		t.Fatal(err)
	}
	from, until := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	doc, err := scope.NewCredential(agent, grants, scope.Party{ID: "did:web:acme.example", Name: "Acme Treasury"}, from, until)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["issuer"]; ok {
		t.Error("the unsigned credential must leave issuer to the issuer")
	}
	doc["issuer"] = "did:web:issuer.example"
	b, _ := json.Marshal(doc)
	s := parse(t, string(b))
	want := parse(t, credentialWith(paymentsGrants))
	got, _ := json.Marshal(s.Grants)
	exp, _ := json.Marshal(want.Grants)
	if string(got) != string(exp) || s.Agent != agent || !s.ValidFrom.Equal(from) {
		t.Errorf("round trip:\n%s\nwant\n%s", got, exp)
	}
	schema := doc["credentialSchema"].(map[string]any)
	if schema["id"] != "https://kakunin.dev/schemas/scope-credential.json" || schema["type"] != "JsonSchema" {
		t.Errorf("credentialSchema %v", schema)
	}

	_, err = scope.NewCredential("https://not-a-did.example", grants, scope.Party{ID: "did:web:acme.example"}, from, until)
	if !errors.Is(err, vc.ErrMalformedValue) {
		t.Errorf("subject not a DID: error = %v", err)
	}
	if _, err := scope.ParseGrants([]byte(`[{"actions": ["nope"]}]`)); !errors.Is(err, scope.ErrInvalidPattern) {
		t.Errorf("ParseGrants bad action: error = %v", err)
	}
	if _, err := scope.ParseGrants([]byte(`[{"actions": ["a:b"]}`)); !errors.Is(err, vc.ErrParsing) {
		t.Errorf("ParseGrants bad JSON: error = %v", err)
	}
}
