package scope_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/vc/scope"
)

func BenchmarkAllows(b *testing.B) {
	s := parse(b, credentialWith(paymentsGrants))
	requests := map[string]scope.Request{
		"payment": payment(b),
		"mcp":     {Action: "mcp:github/list_issues", At: payment(b).At},
		"http":    {Action: "http:GET https://api.example.com/v1/orders/42", At: payment(b).At},
	}
	for name, r := range requests {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d := s.Allows(r); !d.Allowed {
					b.Fatal(d)
				}
			}
		})
	}
}
