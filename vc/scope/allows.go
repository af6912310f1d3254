package scope

import (
	"time"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Request is what a gateway asks about: may the agent perform Action now?
type Request struct {
	// Action is concrete (no wildcards): "payments:create", "mcp:github/create_issue",
	// "http:GET https://api.example.com/v1/orders/42".
	Action string
	// Resource is the URL or URI acted on, or "". Grants that list resources need one.
	Resource string
	// Audience identifies the relying party (its origin URL or DID), or "". Grants that list
	// audiences need one.
	Audience string
	// Amount is the value this request moves; the zero Amount when it moves none. Grants with
	// maxAmount or dailyVolume need one.
	Amount Amount
	// Instrument and Venue are checked against the instruments and venues limits.
	Instrument string
	Venue      string
	// At is the time of the request, from the gateway's clock. Required.
	At time.Time
	// DailyTotalSoFar is the value already moved today under this credential, this request
	// excluded, in the currency of the dailyVolume limit. Grants with dailyVolume need it
	// ("0" when nothing was moved yet).
	DailyTotalSoFar Amount
	// RecentRequests returns how many requests the agent made under this credential within the
	// trailing period before At, this request excluded. Grants with a rate limit need it.
	RecentRequests func(period time.Duration) int
}

// Allows decides whether s permits r. The validity period is checked first (bounds
// inclusive), then each grant in order: a grant applies when one of its actions matches and
// its resources and audiences (when listed) match; the first grant that applies and whose
// limits all pass allows the request. When none does, the decision reports the first
// applicable grant's failing limit or, if no grant applied, how close the best one came.
func (s *Scope) Allows(r Request) Decision {
	if r.At.IsZero() {
		return deny(ReasonInvalidRequest, -1, "", "the request has no time")
	}
	if r.At.Before(s.ValidFrom) {
		return deny(ReasonNotYetValid, -1, "", "valid from %s", s.ValidFrom.UTC().Format(time.RFC3339))
	}
	if r.At.After(s.ValidUntil) {
		return deny(ReasonExpired, -1, "", "valid until %s", s.ValidUntil.UTC().Format(time.RFC3339))
	}
	action, err := ParseAction(r.Action)
	if err != nil {
		return deny(ReasonInvalidRequest, -1, "", "%v", err)
	}
	resource, err := parseTarget(r.Resource)
	if err != nil {
		return deny(ReasonInvalidRequest, -1, "", "resource: %v", err)
	}
	audience, err := parseTarget(r.Audience)
	if err != nil {
		return deny(ReasonInvalidRequest, -1, "", "audience: %v", err)
	}
	q := query{action: action, resource: resource, audience: audience, Request: &r}
	best := Decision{Reason: ReasonActionNotGranted, Grant: -1}
	for i := range s.Grants {
		d := s.Grants[i].decide(i, &q)
		if d.Allowed {
			return d
		}
		if rank(d.Reason) > rank(best.Reason) {
			best = d
		}
	}
	if best.Reason == ReasonActionNotGranted {
		best.Detail = "no grant names the action " + claims.Quote(r.Action)
	}
	return best
}

// rank orders denials by how far the request got, so that the most informative is reported.
func rank(r Reason) int {
	switch r {
	case ReasonActionNotGranted:
		return 0
	case ReasonResourceNotGranted:
		return 1
	case ReasonAudienceNotGranted:
		return 2
	default:
		return 3
	}
}

// query is a request with its action, resource and audience parsed.
type query struct {
	*Request
	action             ActionPattern
	resource, audience target
}

func (g *Grant) decide(i int, q *query) Decision {
	if !g.matchAction(q.action) {
		return Decision{Reason: ReasonActionNotGranted, Grant: -1}
	}
	if len(g.Resources) > 0 && !anyMatch(g.Resources, q.resource) {
		return deny(ReasonResourceNotGranted, i, "", "grant %d does not list the resource %s", i, claims.Quote(q.Resource))
	}
	if len(g.Audiences) > 0 && !anyMatch(g.Audiences, q.audience) {
		return deny(ReasonAudienceNotGranted, i, "", "grant %d does not list the audience %s", i, claims.Quote(q.Audience))
	}
	return g.Limits.check(i, q.Request)
}

func (g *Grant) matchAction(a ActionPattern) bool {
	for _, p := range g.Actions {
		if p.Match(a) {
			return true
		}
	}
	return false
}

func anyMatch(patterns []URLPattern, t target) bool {
	if t.raw == "" {
		return false
	}
	for _, p := range patterns {
		if p.matchTarget(t) {
			return true
		}
	}
	return false
}
