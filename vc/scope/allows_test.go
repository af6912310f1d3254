package scope_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc/scope"
)

func eur(v string) scope.Amount { return scope.Amount{Value: v, Currency: "EUR"} }

// payment is an allowed payment request: Wednesday 2026-03-04 10:00 Berlin, 250.00 EUR.
func payment(t testing.TB) scope.Request {
	return scope.Request{
		Action:          "payments:create",
		Resource:        "https://api.bank.example/v1/accounts/DE89370400440532013000/payments",
		Audience:        "https://api.bank.example",
		Amount:          eur("250.00"),
		Instrument:      "sepa-credit-transfer",
		At:              berlin(t, "2026-03-04 10:00"),
		DailyTotalSoFar: eur("0"),
		RecentRequests:  recent(0),
	}
}

func TestAllows(t *testing.T) {
	s := parse(t, credentialWith(paymentsGrants))
	tests := []struct {
		name   string
		edit   func(*scope.Request)
		reason scope.Reason
		grant  int
		limit  string
	}{
		{"payment at the limit", func(*scope.Request) {}, scope.ReasonAllowed, 0, ""},
		{"one cent more", func(r *scope.Request) { r.Amount = eur("250.01") }, scope.ReasonMaxAmountExceeded, 0, "maxAmount"},
		{"equal with more fraction digits", func(r *scope.Request) { r.Amount = eur("250.000000") }, scope.ReasonAllowed, 0, ""},
		{"smallest unit more", func(r *scope.Request) { r.Amount = eur("250.000000000000000001") }, scope.ReasonMaxAmountExceeded, 0, "maxAmount"},
		{"currency mismatch", func(r *scope.Request) { r.Amount = scope.Amount{Value: "1.00", Currency: "USD"} }, scope.ReasonCurrencyMismatch, 0, "maxAmount"},
		{"amount missing", func(r *scope.Request) { r.Amount = scope.Amount{} }, scope.ReasonInputRequired, 0, "maxAmount"},
		{"amount not a decimal", func(r *scope.Request) { r.Amount = eur("2.5e2") }, scope.ReasonInvalidRequest, 0, "maxAmount"},
		{"negative amount", func(r *scope.Request) { r.Amount = eur("-1") }, scope.ReasonInvalidRequest, 0, "maxAmount"},
		{"daily volume reached exactly", func(r *scope.Request) { r.DailyTotalSoFar = eur("750.00") }, scope.ReasonAllowed, 0, ""},
		{"daily volume exceeded by a cent", func(r *scope.Request) { r.DailyTotalSoFar = eur("750.01") }, scope.ReasonDailyVolumeExceeded, 0, "dailyVolume"},
		{"daily total missing", func(r *scope.Request) { r.DailyTotalSoFar = scope.Amount{} }, scope.ReasonInputRequired, 0, "dailyVolume"},
		{"daily total in another currency", func(r *scope.Request) { r.DailyTotalSoFar = scope.Amount{Value: "0", Currency: "USD"} }, scope.ReasonInvalidRequest, 0, "dailyVolume"},
		{"rate: 9 earlier requests", func(r *scope.Request) { r.RecentRequests = recent(9) }, scope.ReasonAllowed, 0, ""},
		{"rate: 10 earlier requests", func(r *scope.Request) { r.RecentRequests = recent(10) }, scope.ReasonRateExceeded, 0, "rate"},
		{"rate counter at MaxInt", func(r *scope.Request) { r.RecentRequests = recent(math.MaxInt) }, scope.ReasonRateExceeded, 0, "rate"},
		{"rate counter negative", func(r *scope.Request) { r.RecentRequests = recent(-1) }, scope.ReasonInvalidRequest, 0, "rate"},
		{"rate counter missing", func(r *scope.Request) { r.RecentRequests = nil }, scope.ReasonInputRequired, 0, "rate"},
		{"instrument not permitted", func(r *scope.Request) { r.Instrument = "crypto" }, scope.ReasonInstrumentDenied, 0, "instruments"},
		{"instrument missing", func(r *scope.Request) { r.Instrument = "" }, scope.ReasonInputRequired, 0, "instruments"},
		{"before opening", func(r *scope.Request) { r.At = berlin(t, "2026-03-04 08:59") }, scope.ReasonOutsideTimeWindow, 0, "timeWindows"},
		{"at opening", func(r *scope.Request) { r.At = berlin(t, "2026-03-04 09:00") }, scope.ReasonAllowed, 0, ""},
		{"last second", func(r *scope.Request) { r.At = berlin(t, "2026-03-04 17:29").Add(59 * time.Second) }, scope.ReasonAllowed, 0, ""},
		{"at closing", func(r *scope.Request) { r.At = berlin(t, "2026-03-04 17:30") }, scope.ReasonOutsideTimeWindow, 0, "timeWindows"},
		{"saturday", func(r *scope.Request) { r.At = berlin(t, "2026-03-07 10:00") }, scope.ReasonOutsideTimeWindow, 0, "timeWindows"},
		{"UTC time inside Berlin hours", func(r *scope.Request) { r.At = time.Date(2026, 3, 4, 16, 29, 0, 0, time.UTC) }, scope.ReasonAllowed, 0, ""},
		{"UTC time after Berlin hours", func(r *scope.Request) { r.At = time.Date(2026, 3, 4, 16, 30, 0, 0, time.UTC) }, scope.ReasonOutsideTimeWindow, 0, "timeWindows"},
		{"resource not listed", func(r *scope.Request) { r.Resource = "https://api.bank.example/v1/accounts/DE89/standing-orders" }, scope.ReasonResourceNotGranted, 0, ""},
		{"resource missing", func(r *scope.Request) { r.Resource = "" }, scope.ReasonResourceNotGranted, 0, ""},
		{"resource with a dot segment", func(r *scope.Request) { r.Resource = "https://api.bank.example/v1/accounts/DE89/../x/payments" }, scope.ReasonInvalidRequest, -1, ""},
		{"resource with an encoded slash", func(r *scope.Request) { r.Resource = "https://api.bank.example/v1/accounts/DE89%2Fx/payments" }, scope.ReasonInvalidRequest, -1, ""},
		{"resource with a query", func(r *scope.Request) { r.Resource = "https://api.bank.example/v1/accounts/DE89/payments?dry-run=1" }, scope.ReasonAllowed, 0, ""},
		{"resource host in capitals", func(r *scope.Request) { r.Resource = "https://API.bank.example/v1/accounts/DE89/payments" }, scope.ReasonAllowed, 0, ""},
		{"audience with default port", func(r *scope.Request) { r.Audience = "https://api.bank.example:443" }, scope.ReasonAllowed, 0, ""},
		{"audience over http", func(r *scope.Request) { r.Audience = "http://api.bank.example" }, scope.ReasonAudienceNotGranted, 0, ""},
		{"audience not listed", func(r *scope.Request) { r.Audience = "https://evil.example" }, scope.ReasonAudienceNotGranted, 0, ""},
		{"action not granted", func(r *scope.Request) { r.Action = "payments:refund" }, scope.ReasonActionNotGranted, -1, ""},
		{"malformed action", func(r *scope.Request) { r.Action = "payments" }, scope.ReasonInvalidRequest, -1, ""},
		{"before validFrom", func(r *scope.Request) { r.At = time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC) }, scope.ReasonNotYetValid, -1, ""},
		{"at validUntil", func(r *scope.Request) {
			r.At = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			r.Action, r.Amount = "crm.contacts:read", scope.Amount{}
		}, scope.ReasonAllowed, 1, ""},
		{"after validUntil", func(r *scope.Request) { r.At = time.Date(2026, 6, 1, 0, 0, 1, 0, time.UTC) }, scope.ReasonExpired, -1, ""},
		{"no time", func(r *scope.Request) { r.At = time.Time{} }, scope.ReasonInvalidRequest, -1, ""},
		{"crm wildcard read, no limits", func(r *scope.Request) { r.Action = "crm.deals.notes:read" }, scope.ReasonAllowed, 1, ""},
		{"crm update of contacts only", func(r *scope.Request) { r.Action = "crm.deals:update" }, scope.ReasonActionNotGranted, -1, ""},
		{"MCP tool in a registry-named server", func(r *scope.Request) { r.Action = "mcp:io.github.acme/tickets/create_issue" }, scope.ReasonAllowed, 2, ""},
		{"MCP tool prefix", func(r *scope.Request) { r.Action = "mcp:github/list_issues" }, scope.ReasonAllowed, 2, ""},
		{"MCP tool outside prefix", func(r *scope.Request) { r.Action = "mcp:github/delete_repository" }, scope.ReasonActionNotGranted, -1, ""},
		{"HTTP GET of one order", func(r *scope.Request) { r.Action = "http:GET https://api.example.com/v1/orders/42" }, scope.ReasonAllowed, 3, ""},
		{"HTTP DELETE of one order", func(r *scope.Request) { r.Action = "http:DELETE https://api.example.com/v1/orders/42" }, scope.ReasonActionNotGranted, -1, ""},
		{"HTTP path traversal", func(r *scope.Request) { r.Action = "http:GET https://api.example.com/v1/orders/../admin" }, scope.ReasonInvalidRequest, -1, ""},
		{"HTTP any method on reports", func(r *scope.Request) { r.Action = "http:PUT https://eu.example.net/reports/2026/q1" }, scope.ReasonAllowed, 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := payment(t)
			tt.edit(&r)
			d := s.Allows(r)
			if d.Reason != tt.reason || d.Grant != tt.grant || d.Limit != tt.limit || d.Allowed != (tt.reason == scope.ReasonAllowed) {
				t.Errorf("Allows = %+v, want reason %s grant %d limit %q", d, tt.reason, tt.grant, tt.limit)
			}
			if err := d.Err(); (err == nil) != d.Allowed || err != nil && !errors.Is(err, scope.ErrDenied) {
				t.Errorf("Err() = %v for %+v", err, d)
			}
		})
	}
}

// TestAllowsDaylightSaving checks wall-clock windows across the 2026 changes in Europe/Berlin
// (29 March: 02:00 CET becomes 03:00 CEST; 25 October: 03:00 CEST becomes 02:00 CET).
func TestAllowsDaylightSaving(t *testing.T) {
	s := parse(t, credentialWith(`[{"actions": ["batch:run"], "limits": {"timeWindows": [
		{"start": "02:00", "end": "03:00", "timezone": "Europe/Berlin"},
		{"days": ["sun"], "start": "22:00", "end": "24:00", "timezone": "America/New_York"}]}}]`))
	s.ValidUntil = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"spring forward: 00:59 UTC is 01:59 CET", time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), false},
		{"spring forward: 01:00 UTC is 03:00 CEST, the 02:00 hour never happens", time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), false},
		{"day before: 01:30 UTC is 02:30 CET", time.Date(2026, 3, 28, 1, 30, 0, 0, time.UTC), true},
		{"fall back: first 02:30 (CEST, 00:30 UTC)", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), true},
		{"fall back: second 02:30 (CET, 01:30 UTC)", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), true},
		{"fall back: 02:00 UTC is 03:00 CET", time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), false},
		{"New York Sunday 23:59 EST is Monday 04:59 UTC", time.Date(2026, 11, 9, 4, 59, 0, 0, time.UTC), true},
		{"New York Monday 00:00 EST", time.Date(2026, 11, 9, 5, 0, 0, 0, time.UTC), false},
		{"New York Sunday 22:00 EDT (before the change)", time.Date(2026, 10, 26, 2, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := s.Allows(scope.Request{Action: "batch:run", At: tt.at})
			if d.Allowed != tt.want {
				t.Errorf("Allows at %s = %+v, want allowed %v", tt.at, d, tt.want)
			}
		})
	}
}

func TestAllowsFirstGrantThatPasses(t *testing.T) {
	s := parse(t, credentialWith(`[
		{"actions": ["payments:create"], "limits": {"maxAmount": {"value": "10", "currency": "EUR"}}},
		{"actions": ["payments:create"], "limits": {"maxAmount": {"value": "100", "currency": "USD"}}}]`))
	at := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	d := s.Allows(scope.Request{Action: "payments:create", Amount: scope.Amount{Value: "50", Currency: "USD"}, At: at})
	if !d.Allowed || d.Grant != 1 {
		t.Errorf("USD 50: %+v, want allowed by grant 1", d)
	}
	d = s.Allows(scope.Request{Action: "payments:create", Amount: eur("11"), At: at})
	if d.Allowed || d.Grant != 0 || d.Reason != scope.ReasonMaxAmountExceeded {
		t.Errorf("EUR 11: %+v, want denied by grant 0's maxAmount", d)
	}
}

func TestAllowsVenues(t *testing.T) {
	s := parse(t, credentialWith(`[{"actions": ["orders:create"],
		"limits": {"venues": ["XPAR", "XAMS"], "instruments": ["FR0000120271"]}}]`))
	at := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		venue, instrument string
		reason            scope.Reason
		limit             string
	}{
		{"XPAR", "FR0000120271", scope.ReasonAllowed, ""},
		{"XLON", "FR0000120271", scope.ReasonVenueDenied, "venues"},
		{"", "FR0000120271", scope.ReasonInputRequired, "venues"},
		{"XAMS", "NL0000235190", scope.ReasonInstrumentDenied, "instruments"},
		{"xpar", "FR0000120271", scope.ReasonVenueDenied, "venues"},
	}
	for _, tt := range tests {
		d := s.Allows(scope.Request{Action: "orders:create", Venue: tt.venue, Instrument: tt.instrument, At: at})
		if d.Reason != tt.reason || d.Limit != tt.limit {
			t.Errorf("venue %q instrument %q: %+v, want %s %q", tt.venue, tt.instrument, d, tt.reason, tt.limit)
		}
	}
}
