package scope_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// FuzzActionGrammar: parsing never panics, every error wraps ErrInvalidPattern, a concrete
// action is also a valid pattern that matches itself, and a pattern keeps its text.
func FuzzActionGrammar(f *testing.F) {
	for _, s := range []string{
		"payments:create", "crm.*:read", "*:*", "mcp:io.github.acme/tickets/create_issue", "mcp:github/list_*",
		"http:GET https://api.example.com/v1/orders/*", "http:* https://*.example.net/reports/**",
		"http:GET https://api.example.com:8443/a/b?c=d", "http:GET https://a.example/%2F", "mcp:a//b", "crm..x:y",
	} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pattern, action string) {
		p, perr := scope.ParseActionPattern(pattern)
		if perr != nil && !errors.Is(perr, scope.ErrInvalidPattern) {
			t.Fatalf("pattern error %v does not wrap ErrInvalidPattern", perr)
		}
		if perr == nil && p.String() != pattern {
			t.Fatalf("String() = %q, want %q", p.String(), pattern)
		}
		a, aerr := scope.ParseAction(action)
		if aerr != nil {
			if !errors.Is(aerr, scope.ErrInvalidPattern) {
				t.Fatalf("action error %v does not wrap ErrInvalidPattern", aerr)
			}
			return
		}
		if perr == nil {
			p.Match(a)
		}
		if _, hasQuery := cutQuery(action); hasQuery {
			return // a query is allowed in a request, not in a pattern
		}
		self, err := scope.ParseActionPattern(lowerHost(action))
		if err != nil {
			t.Fatalf("concrete action %q is not a pattern: %v", action, err)
		}
		if !self.Match(a) {
			t.Fatalf("%q does not match itself", action)
		}
	})
}

// FuzzURLPattern: no panics, errors wrap ErrInvalidPattern, and a pattern without wildcards
// matches its own text.
func FuzzURLPattern(f *testing.F) {
	for _, s := range []string{"https://api.example.com/v1/*", "did:web:bank.example", "https://*.example.net/**", "http://localhost:8080"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := scope.ParseURLPattern(s)
		if err != nil {
			if !errors.Is(err, scope.ErrInvalidPattern) {
				t.Fatalf("error %v does not wrap ErrInvalidPattern", err)
			}
			return
		}
		if !containsStar(s) && !p.Match(s) {
			t.Fatalf("%q does not match itself", s)
		}
	})
}

// lowerHost lowers the host of an HTTP action: requests may spell it in any case, patterns
// in lower case.
func lowerHost(action string) string {
	i := strings.Index(action, "://")
	if !strings.HasPrefix(action, "http:") || i < 0 {
		return action
	}
	end := len(action)
	if j := strings.IndexByte(action[i+3:], '/'); j >= 0 {
		end = i + 3 + j
	}
	return action[:i+3] + strings.ToLower(action[i+3:end]) + action[end:]
}

func cutQuery(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			return s[:i], true
		}
	}
	return s, false
}

func containsStar(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' {
			return true
		}
	}
	return false
}

// FuzzParseGrants: no input panics, every error is a *vc.Error, and accepted grants written
// back with MarshalJSON parse to the same JSON.
func FuzzParseGrants(f *testing.F) {
	f.Add([]byte(paymentsGrants))
	f.Add([]byte(`[{"actions":["a:b"],"limits":{"rate":{"count":1e1,"period":"P1DT1H"}}}]`))
	f.Add([]byte(`[{"actions":["a:b"],"limits":{"timeWindows":[{"start":"00:00","end":"24:00","timezone":"Asia/Kolkata"}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		grants, err := scope.ParseGrants(data)
		if err != nil {
			var e *vc.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *vc.Error", err)
			}
			return
		}
		out, err := json.Marshal(grants)
		if err != nil {
			t.Fatal(err)
		}
		again, err := scope.ParseGrants(out)
		if err != nil {
			t.Fatalf("written grants do not parse: %v\n%s", err, out)
		}
		if b, _ := json.Marshal(again); string(b) != string(out) {
			t.Fatalf("round trip changed the grants:\n%s\n%s", out, b)
		}
	})
}
