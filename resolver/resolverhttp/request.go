package resolverhttp

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/resolver"
)

// request is a decoded /1.0/identifiers request.
type request struct {
	id          string // the DID or DID URL
	dereference bool   // id has a path, query or fragment
	opts        resolver.DereferenceOptions
	optionsSet  bool // options were given in the query of an encoded identifier
}

const identifiersPrefix = "/1.0/identifiers/"

// parseRequest reads the identifier and the options. Errors wrap
// did.ErrInvalidDIDURL or did.ErrInvalidOptions.
func parseRequest(r *http.Request, cfg *Config) (request, error) {
	seg, ok := strings.CutPrefix(r.URL.EscapedPath(), identifiersPrefix)
	if !ok || seg == "" {
		return request{}, fmt.Errorf("%w: no identifier in the request path", did.ErrInvalidDID)
	}
	if len(seg) > 3*cfg.MaxDIDURLBytes {
		return request{}, tooLong(seg, cfg)
	}
	if len(r.URL.RawQuery) > cfg.MaxQueryBytes {
		return request{}, fmt.Errorf("%w: query longer than %d bytes", did.ErrInvalidOptions, cfg.MaxQueryBytes)
	}
	var req request
	if len(seg) >= len("did%3a") && strings.EqualFold(seg[:len("did%3a")], "did%3a") {
		// URL-encoded with java.net.URLEncoder (form encoding) by the HttpDriver.
		id, err := url.QueryUnescape(seg)
		if err != nil {
			return request{}, fmt.Errorf("%w: bad percent-encoding in the request path", did.ErrInvalidDIDURL)
		}
		req.id = id
		if err := req.readOptions(r.URL.RawQuery); err != nil {
			return request{}, err
		}
	} else {
		req.id = seg
		if r.URL.RawQuery != "" || r.URL.ForceQuery {
			req.id += "?" + r.URL.RawQuery
		}
	}
	req.dereference = strings.ContainsAny(req.id, "/?#")
	if len(req.id) > cfg.MaxDIDURLBytes {
		return req, tooLong(req.id, cfg)
	}
	return req, nil
}

func tooLong(id string, cfg *Config) error {
	kind := did.ErrInvalidDID
	if strings.ContainsAny(id, "/?#") || strings.Contains(strings.ToLower(id), "%3f") || strings.Contains(strings.ToLower(id), "%23") {
		kind = did.ErrInvalidDIDURL
	}
	return fmt.Errorf("%w: identifier longer than %d bytes", kind, cfg.MaxDIDURLBytes)
}

// readOptions reads the query of an encoded request: "name=value&..." form
// parameters, or a URL-encoded JSON object (the HttpDriver's form when an option is
// not a string).
func (req *request) readOptions(raw string) error {
	if raw == "" {
		return nil
	}
	req.optionsSet = true
	var obj map[string]jsontext.Value
	if !strings.Contains(raw, "=") {
		s, err := url.QueryUnescape(raw)
		if err == nil {
			err = json.Unmarshal([]byte(s), &obj)
		}
		if err != nil {
			return fmt.Errorf("%w: query is neither parameters nor a JSON object: %w", did.ErrInvalidOptions, err)
		}
	} else {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return fmt.Errorf("%w: %w", did.ErrInvalidOptions, err)
		}
		if obj, err = formOptions(q); err != nil {
			return err
		}
	}
	return req.setOptions(obj)
}

// formOptions turns form parameters into option values: the boolean options from
// "true"/"false", the rest as strings. A repeated parameter is ambiguous.
func formOptions(q url.Values) (map[string]jsontext.Value, error) {
	obj := make(map[string]jsontext.Value, len(q))
	for name, vs := range q {
		if len(vs) != 1 {
			return nil, fmt.Errorf("%w: option %q repeated", did.ErrInvalidOptions, name)
		}
		v := vs[0]
		if name == "noCache" || name == "expandRelativeUrls" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("%w: option %q must be true or false", did.ErrInvalidOptions, name)
			}
			obj[name] = jsontext.Value(strconv.FormatBool(b))
			continue
		}
		s, err := jsontext.AppendQuote(nil, v)
		if err != nil {
			return nil, fmt.Errorf("%w: option %q is not UTF-8", did.ErrInvalidOptions, name)
		}
		obj[name] = s
	}
	return obj, nil
}

// setOptions splits the dereferencing options from the resolution options and reads
// the latter strictly (did.ResolutionOptions.UnmarshalJSON).
func (req *request) setOptions(obj map[string]jsontext.Value) error {
	if v, ok := obj["verificationRelationship"]; ok {
		var rel string
		if err := json.Unmarshal(v, &rel); err != nil {
			return fmt.Errorf("%w: verificationRelationship must be a string", did.ErrInvalidOptions)
		}
		req.opts.VerificationRelationship = did.Relationship(rel)
		delete(obj, "verificationRelationship")
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("%w: %w", did.ErrInvalidOptions, err)
	}
	if err := req.opts.Resolution.UnmarshalJSON(b); err != nil {
		return err
	}
	return nil
}
