package did

import (
	"encoding/json/jsontext"
	"fmt"
	"net/url"
)

// Service is a service of a DID document (CID § 2.1.4 Services).
type Service struct {
	// ID is a URI, typically a DID URL with a fragment or a relative one ("#files").
	ID string
	// Type is one or more service types.
	Type []string
	// ServiceEndpoint holds one or more endpoints: URIs or maps.
	ServiceEndpoint []Endpoint
	// Extra holds the extension properties.
	Extra map[string]jsontext.Value
}

// Endpoint is one service endpoint: a URI string, or a map (JSON object).
type Endpoint struct {
	URI string
	Map jsontext.Value // a JSON object, when URI is empty
}

// MarshalJSON writes the URI as a string, or the map.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	if e.URI != "" {
		return jsontext.AppendQuote(nil, e.URI)
	}
	if e.Map.Kind() != '{' {
		return nil, fmt.Errorf("%w: service endpoint is neither a URI nor a map", ErrInvalidDocument)
	}
	return e.Map, nil
}

// checkURI requires an absolute URI (RFC 3986 § 4.3).
func checkURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("%q is not an absolute URI", truncate(s))
	}
	return nil
}

// checkRef requires a DID URL or a relative DID URL.
func (d *Document) checkRef(s string) error {
	if d.absolute(s) == "" {
		return fmt.Errorf("%q is not a DID URL or a relative DID URL", truncate(s))
	}
	return nil
}

func (d *Document) parseService(path string, v jsontext.Value) (Service, error) {
	f, err := decodeObject(path, v)
	if err != nil {
		return Service{}, err
	}
	var s Service
	if s.ID, err = requiredString(path, f, "id"); err != nil {
		return Service{}, err
	}
	if checkURI(s.ID) != nil && d.checkRef(s.ID) != nil {
		return Service{}, docErr(path+".id", "%q is neither a URI nor a relative DID URL", truncate(s.ID))
	}
	if _, ok := f["type"]; !ok {
		return Service{}, docErr(path, `missing "type"`)
	}
	if s.Type, err = decodeSet(path+".type", f["type"], true, nonEmpty); err != nil {
		return Service{}, err
	}
	if len(s.Type) == 0 {
		return Service{}, docErr(path+".type", "empty")
	}
	if s.ServiceEndpoint, err = parseEndpoints(path+".serviceEndpoint", f); err != nil {
		return Service{}, err
	}
	delete(f, "id")
	delete(f, "type")
	delete(f, "serviceEndpoint")
	s.Extra = extra(f)
	return s, nil
}

func nonEmpty(s string) error {
	if s == "" {
		return fmt.Errorf("empty string")
	}
	return nil
}

func parseEndpoints(path string, f fields) ([]Endpoint, error) {
	v, ok := f["serviceEndpoint"]
	if !ok {
		return nil, docErr(path, "missing")
	}
	items := []jsontext.Value{v}
	if v.Kind() == '[' {
		var err error
		if items, err = decodeArray(path, v); err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, docErr(path, "empty set")
		}
	}
	out := make([]Endpoint, len(items))
	for i, item := range items {
		p := path
		if v.Kind() == '[' {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		if item.Kind() == '{' {
			if _, err := decodeObject(p, item); err != nil {
				return nil, err
			}
			out[i] = Endpoint{Map: compact(item)}
			continue
		}
		s, err := decodeString(p, item)
		if err != nil {
			return nil, docErr(p, "must be a URI or a map")
		}
		if err := checkURI(s); err != nil {
			return nil, docErr(p, "%v", err)
		}
		out[i] = Endpoint{URI: s}
	}
	return out, nil
}

// MarshalJSON writes the service as a DID document holds it: "id", "type",
// "serviceEndpoint" (one value or a set), then the extension properties.
func (s Service) MarshalJSON() ([]byte, error) { return s.object().MarshalJSON() }

// MarshalJSONTo is MarshalJSON into enc.
func (s Service) MarshalJSONTo(enc *jsontext.Encoder) error { return s.object().MarshalJSONTo(enc) }

func (s *Service) object() object {
	var o object
	o.add("id", s.ID)
	o.addSet("type", s.Type)
	if len(s.ServiceEndpoint) == 1 {
		o.add("serviceEndpoint", s.ServiceEndpoint[0])
	} else {
		o.add("serviceEndpoint", s.ServiceEndpoint)
	}
	o.addExtra(s.Extra)
	return o
}
