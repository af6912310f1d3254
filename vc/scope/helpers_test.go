package scope_test

import (
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

const agent = "did:kakunin:c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38:5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"

// credentialWith returns a scope credential JSON whose scope member is grants (a JSON array).
func credentialWith(grants string) string {
	return `{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://kakunin.dev/ns/v1"],
	  "type": ["VerifiableCredential", "KakuninScopeCredential"],
	  "issuer": "did:web:issuer.example",
	  "validFrom": "2026-03-01T00:00:00Z",
	  "validUntil": "2026-06-01T00:00:00Z",
	  "credentialSubject": {
	    "id": "` + agent + `",
	    "delegator": {"id": "did:web:acme.example", "name": "Acme Treasury"},
	    "scope": ` + grants + `
	  }
	}`
}

// paymentsGrants: payments up to 250.00 EUR each and 1000.00 EUR a day, on weekdays 09:00-17:30
// Berlin time, at most 10 a minute, by SEPA or card; CRM reads; MCP and HTTP grants.
const paymentsGrants = `[
  {"actions": ["payments:create"], "audiences": ["https://api.bank.example"],
   "resources": ["https://api.bank.example/v1/accounts/*/payments"],
   "limits": {"maxAmount": {"value": "250.00", "currency": "EUR"},
              "dailyVolume": {"value": "1000.00", "currency": "EUR"},
              "rate": {"count": 10, "period": "PT1M"},
              "instruments": ["sepa-credit-transfer", "card"],
              "timeWindows": [{"days": ["mon","tue","wed","thu","fri"], "start": "09:00", "end": "17:30", "timezone": "Europe/Berlin"}]}},
  {"actions": ["crm.*:read", "crm.contacts:update"]},
  {"actions": ["mcp:io.github.acme/tickets/create_issue", "mcp:github/list_*"]},
  {"actions": ["http:GET https://api.example.com/v1/orders/*", "http:* https://*.example.net/reports/**"]}
]`

func parse(t testing.TB, doc string) *scope.Scope {
	t.Helper()
	c, err := vc.ParseCredential([]byte(doc), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := scope.ParseScope(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parseErr parses doc and returns the error of ParseScope (or of vc.ParseCredential).
func parseErr(doc string) error {
	c, err := vc.ParseCredential([]byte(doc), vc.ParseOptions{})
	if err != nil {
		return err
	}
	_, err = scope.ParseScope(c)
	return err
}

// berlin returns the instant of a Berlin wall-clock time.
func berlin(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func recent(n int) func(time.Duration) int { return func(time.Duration) int { return n } }
