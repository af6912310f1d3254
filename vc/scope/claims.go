package scope

import (
	"time"
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
	doc       map[string]any // the validated JSON object, written back by MarshalJSON
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
}

func parseParty(v any, path string) (Party, error) {
	o, err := asObject(v, path, "id", "name")
	if err != nil {
		return Party{}, err
	}
	id, err := o.str("id", true, maxPatternLen)
	if err != nil {
		return Party{}, err
	}
	if !isAbsoluteURI(id) {
		return Party{}, malformed(at(path, "id"), nil, "must be a DID or URL")
	}
	name, err := o.str("name", false, maxText)
	return Party{ID: id, Name: name}, err
}

func parseGrants(v any, path string) ([]Grant, error) {
	items, err := array(v, path, maxGrants)
	if err != nil {
		return nil, err
	}
	grants := make([]Grant, len(items))
	for i, item := range items {
		if grants[i], err = parseGrant(item, at(path, i)); err != nil {
			return nil, err
		}
	}
	return grants, nil
}

func parseGrant(v any, path string) (Grant, error) {
	o, err := asObject(v, path, "actions", "audiences", "resources", "limits")
	if err != nil {
		return Grant{}, err
	}
	g := Grant{doc: o.m}
	if g.Actions, err = actionPatterns(o); err != nil {
		return Grant{}, err
	}
	if g.Audiences, err = urlPatterns(o, "audiences"); err != nil {
		return Grant{}, err
	}
	if g.Resources, err = urlPatterns(o, "resources"); err != nil {
		return Grant{}, err
	}
	if o.has("limits") {
		g.Limits, err = parseLimits(o.m["limits"], at(path, "limits"))
	}
	return g, err
}

func actionPatterns(o object) ([]ActionPattern, error) {
	raw, err := o.strings("actions", true, maxList, maxPatternLen)
	if err != nil {
		return nil, err
	}
	out := make([]ActionPattern, len(raw))
	for i, s := range raw {
		if out[i], err = ParseActionPattern(s); err != nil {
			return nil, malformed(at(at(o.path, "actions"), i), err, "%v", err)
		}
	}
	return out, nil
}

func urlPatterns(o object, name string) ([]URLPattern, error) {
	raw, err := o.strings(name, false, maxList, maxPatternLen)
	if err != nil {
		return nil, err
	}
	out := make([]URLPattern, len(raw))
	for i, s := range raw {
		if out[i], err = ParseURLPattern(s); err != nil {
			return nil, malformed(at(at(o.path, name), i), err, "%v", err)
		}
	}
	return out, nil
}
