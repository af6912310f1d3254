package scope_test

import (
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/scope"
)

func TestActionPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"payments:create", "payments:create", true},
		{"payments:create", "payments:refund", false},
		{"payments:*", "payments:refund", true},
		{"payments:*", "payouts:create", false},
		{"crm.contacts:read", "crm.contacts:read", true},
		{"crm.contacts:read", "crm.contacts.notes:read", false},
		{"crm.*:read", "crm.contacts:read", true},
		{"crm.*:read", "crm.contacts.notes:read", true},
		{"crm.*:read", "crm:read", false},
		{"crm.*:read", "crmx.contacts:read", false},
		{"crm.*:read", "crm.contacts:update", false},
		{"*:read", "ledger.entries:read", true},
		{"*:*", "anything:goes", true},
		{"*:*", "mcp:github/list_issues", false},
		{"Payments:create", "payments:create", false},
		{"mcp:github/list_issues", "mcp:github/list_issues", true},
		{"mcp:github/list_issues", "mcp:gitlab/list_issues", false},
		{"mcp:github/list_*", "mcp:github/list_pulls", true},
		{"mcp:github/list_*", "mcp:github/delete_repo", false},
		{"mcp:github/*", "mcp:github/delete_repo", true},
		{"mcp:*/search", "mcp:docs/search", true},
		{"mcp:*/search", "mcp:docs/search_all", false},
		{"mcp:io.github.acme/tickets/create_issue", "mcp:io.github.acme/tickets/create_issue", true},
		{"mcp:io.github.acme/tickets/create_issue", "mcp:io.github.acme/create_issue", false},
		{"mcp:github/list_issues", "github:list_issues", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com/v1/orders/42", true},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://API.example.com/v1/orders/42?expand=items", true},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com:443/v1/orders/42", true},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com:8443/v1/orders/42", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET http://api.example.com/v1/orders/42", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:POST https://api.example.com/v1/orders/42", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com/v1/orders/42/items", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com/v1/orders/", false},
		{"http:GET https://api.example.com/v1/orders/*", "http:GET https://api.example.com/v1/orders", false},
		{"http:GET https://api.example.com/v1/orders/**", "http:GET https://api.example.com/v1/orders/42/items", true},
		{"http:GET https://api.example.com/v1/orders/**", "http:GET https://api.example.com/v1/orders/", false},
		{"http:* https://*.example.net/reports/**", "http:DELETE https://eu.example.net/reports/2026/q1", true},
		{"http:* https://*.example.net/reports/**", "http:GET https://example.net/reports/x", false},
		{"http:* https://*.example.net/reports/**", "http:GET https://a.b.example.net/reports/x", false},
		{"http:* https://*.example.net/reports/**", "http:GET https://evil.example.net.attacker.test/reports/x", false},
		{"http:GET https://api.example.com", "http:GET https://api.example.com/", true},
		{"http:GET https://api.example.com/", "http:GET https://api.example.com/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" ~ "+tt.action, func(t *testing.T) {
			p, err := scope.ParseActionPattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			a, err := scope.ParseAction(tt.action)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(a); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseActionPatternRejects(t *testing.T) {
	for _, s := range []string{
		"", "payments", ":create", "payments:", "payments:cre ate", "1payments:create", "payments.:create",
		"crm..contacts:read", "crm.*.notes:read", "crm*:read", "mcp:read", "http:read", "payments:create:now",
		"mcp:", "mcp:github", "mcp:github/", "mcp:/tool", "mcp:a//b/tool", "mcp:github/li*st", "mcp:github/**", "mcp:git hub/x",
		"http:GET", "http:get https://a.example/", "http:GET ftp://a.example/", "http:GET https://a.example/x?q=1",
		"http:GET https://a.example/x#f", "http:GET https://user@a.example/", "http:GET https://a.example/**/x",
		"http:GET https://a.example/or*ders", "http:GET https://a*.example/", "http:GET https://a.example:0/",
		"http:GET https://a.example:65536/", "http:GET https://a.example/../admin", "http:GET https://a.example//x",
		"http:GET https://a.example/%2e%2e/admin", "http:GET https://A.example/", "http:GET  https://a.example/",
	} {
		t.Run(s, func(t *testing.T) {
			_, err := scope.ParseActionPattern(s)
			if !errors.Is(err, scope.ErrInvalidPattern) {
				t.Errorf("ParseActionPattern(%q) error = %v, want ErrInvalidPattern", s, err)
			}
		})
	}
}

func TestParseActionRejectsWildcards(t *testing.T) {
	for _, s := range []string{
		"payments:*", "*:read", "crm.*:read", "mcp:*/x", "mcp:github/*", "mcp:github/list_*",
		"http:* https://a.example/", "http:GET https://*.example/", "http:GET https://a.example/*",
		"http:GET https://a.example/a%2Fb", "http:GET https://a.example/./x",
	} {
		if _, err := scope.ParseAction(s); !errors.Is(err, scope.ErrInvalidPattern) {
			t.Errorf("ParseAction(%q) error = %v, want ErrInvalidPattern", s, err)
		}
	}
}

func TestURLPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, url string
		want         bool
	}{
		{"https://api.bank.example", "https://api.bank.example", true},
		{"https://api.bank.example", "https://api.bank.example/", true},
		{"https://api.bank.example", "https://api.bank.example/v1", false},
		{"https://api.bank.example/v1/accounts/*/payments", "https://api.bank.example/v1/accounts/DE89/payments", true},
		{"https://api.bank.example/v1/accounts/*/payments", "https://api.bank.example/v1/accounts/DE89/payments/1", false},
		{"https://api.bank.example/v1/accounts/*/payments", "https://api.bank.example/v1/accounts//payments", false},
		{"http://localhost:8080/**", "http://localhost:8080/a", true},
		{"http://localhost:8080/**", "http://localhost/a", false},
		{"did:web:bank.example", "did:web:bank.example", true},
		{"did:web:bank.example", "did:web:bank.example:x", false},
		{"urn:isin:US0378331005", "urn:isin:US0378331005", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" ~ "+tt.url, func(t *testing.T) {
			p, err := scope.ParseURLPattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(tt.url); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "not a url", "did:web:*", "https://", "https://a.example/x?y", "mailto:"} {
		if _, err := scope.ParseURLPattern(bad); !errors.Is(err, scope.ErrInvalidPattern) {
			t.Errorf("ParseURLPattern(%q) error = %v, want ErrInvalidPattern", bad, err)
		}
	}
}
