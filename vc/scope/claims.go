package scope

import (
	"time"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Party is who delegated the grants: a DID or URL, and a display name.
type Party struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Grant is one entry of the scope: the actions it allows, optionally only towards some
// audiences and on some resources, within its limits.
type Grant struct {
	Actions   []ActionPattern
	Audiences []URLPattern // empty: any audience
	Resources []URLPattern // empty: any resource
	Limits    Limits
	doc       map[string]any // the validated JSON claims.Object, written back by MarshalJSON
}

// Limits bound how a grant may be used. Absent limits do not restrict.
type Limits struct {
	MaxAmount   *Amount // largest amount of one request
	DailyVolume *Amount // largest total per day, this request included
	Rate        *Rate
	Instruments []string // permitted payment instruments or financial instruments
	Venues      []string // permitted execution venues (e.g. ISO 10383 MICs)
	TimeWindows []TimeWindow
}

// Rate is a maximum number of requests in a trailing period.
type Rate struct {
	Count  int
	Period time.Duration
	// Written is the period as the credential writes it ("PT1M"): the name a gateway counts
	// its recent requests under.
	Written string
}

func parseParty(v any, path string) (Party, error) {
	id, name, err := claims.Party(v, path, maxPatternLen, maxText)
	return Party{ID: id, Name: name}, err
}

func parseGrants(v any, path string) ([]Grant, error) {
	items, err := claims.Array(v, path, maxGrants)
	if err != nil {
		return nil, err
	}
	grants := make([]Grant, len(items))
	for i, item := range items {
		if grants[i], err = parseGrant(item, claims.At(path, i)); err != nil {
			return nil, err
		}
	}
	return grants, nil
}

func parseGrant(v any, path string) (Grant, error) {
	o, err := claims.AsObject(v, path, "actions", "audiences", "resources", "limits")
	if err != nil {
		return Grant{}, err
	}
	g := Grant{doc: o.Members}
	if g.Actions, err = actionPatterns(o); err != nil {
		return Grant{}, err
	}
	if g.Audiences, err = urlPatterns(o, "audiences"); err != nil {
		return Grant{}, err
	}
	if g.Resources, err = urlPatterns(o, "resources"); err != nil {
		return Grant{}, err
	}
	if o.Has("limits") {
		g.Limits, err = parseLimits(o.Members["limits"], claims.At(path, "limits"))
	}
	return g, err
}

func actionPatterns(o claims.Object) ([]ActionPattern, error) {
	raw, err := o.Strings("actions", true, maxList, maxPatternLen)
	if err != nil {
		return nil, err
	}
	out := make([]ActionPattern, len(raw))
	for i, s := range raw {
		if out[i], err = ParseActionPattern(s); err != nil {
			return nil, claims.Malformed(claims.At(claims.At(o.Path, "actions"), i), err, "%v", err)
		}
	}
	return out, nil
}

func urlPatterns(o claims.Object, name string) ([]URLPattern, error) {
	raw, err := o.Strings(name, false, maxList, maxPatternLen)
	if err != nil {
		return nil, err
	}
	out := make([]URLPattern, len(raw))
	for i, s := range raw {
		if out[i], err = ParseURLPattern(s); err != nil {
			return nil, claims.Malformed(claims.At(claims.At(o.Path, name), i), err, "%v", err)
		}
	}
	return out, nil
}
