package scope_test

import (
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

func ExampleScope_Allows() {
	cred, err := vc.ParseCredential([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://kakunin.dev/ns/v1"],
	  "type": ["VerifiableCredential", "KakuninScopeCredential"],
	  "issuer": "did:web:issuer.example",
	  "validFrom": "2026-03-01T00:00:00Z",
	  "validUntil": "2026-06-01T00:00:00Z",
	  "credentialSubject": {
	    "id": "did:example:agent",
	    "delegator": {"id": "did:web:acme.example", "name": "Acme Treasury"},
	    "scope": [{"actions": ["payments:create"],
	               "limits": {"maxAmount": {"value": "250.00", "currency": "EUR"}}}]
	  }
	}`), vc.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := scope.ParseScope(cred)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	for _, v := range []string{"250.00", "250.01"} {
		d := s.Allows(scope.Request{Action: "payments:create", Amount: scope.Amount{Value: v, Currency: "EUR"}, At: at})
		fmt.Println(v, d.Allowed, d.Err())
	}
	// Output:
	// 250.00 true <nil>
	// 250.01 false scope: request denied: max-amount-exceeded (grant 0, limit maxAmount): 250.01 EUR exceeds 250.00 EUR
}

func ExampleParseActionPattern() {
	p, _ := scope.ParseActionPattern("http:GET https://api.example.com/v1/orders/*")
	for _, action := range []string{
		"http:GET https://api.example.com/v1/orders/42",
		"http:GET https://api.example.com/v1/orders/42/items",
		"http:DELETE https://api.example.com/v1/orders/42",
	} {
		a, _ := scope.ParseAction(action)
		fmt.Println(p.Match(a), action)
	}
	_, err := scope.ParseActionPattern("crm.*.notes:read")
	fmt.Println(err)
	// Output:
	// true http:GET https://api.example.com/v1/orders/42
	// false http:GET https://api.example.com/v1/orders/42/items
	// false http:DELETE https://api.example.com/v1/orders/42
	// scope: invalid pattern "crm.*.notes:read": each dot-separated resource segment must be a name (a letter, then letters, digits, - or _)
}
