package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxIssuers bounds the instances of the `issuers` setting.
const maxIssuers = 64

// DID methods an issuer instance may use (issuerSpec.DID).
const (
	issuerDIDKey     = "key"
	issuerDIDWeb     = "web"
	issuerDIDKakunin = "kakunin"
)

// issuerSpec is one issuer instance of the `issuers` setting, as configured.
type issuerSpec struct {
	Name        string        // path segment: /instances/{name}/…; "default" is served at the root
	DID         string        // key, web or kakunin
	Agent       string        // did:kakunin: the agent DID the instance issues as
	Key         string        // a keys URI: a PKCS#8 PEM file path or a pkcs11: URI
	Cryptosuite string        // default Data Integrity cryptosuite; "" follows the key type
	Scopes      []string      // action patterns the instance may grant
	MaxValidity time.Duration // longest validity it issues; zero means the issuer's default
	Tenants     []string      // tenants whose callers may issue through it; empty means every tenant
	Retired     []string      // did:web: former keys, as key URIs or Multikey values
	// AnySubject: issue to subject DIDs that do not resolve (issuer.Instance.AllowUnresolvedSubjects).
	AnySubject bool

	path  string         // "issuers[i]", the YAML path named in errors
	lines map[string]int // the line of each key read, and "" for the instance's own
}

// err is a configuration error about field ("" for the whole instance).
func (s *issuerSpec) err(field, reason string) error {
	path := s.path
	if field != "" {
		path += "." + field
	}
	line, ok := s.lines[field]
	if !ok { // an element, or a missing field: the line of the list, or of the instance
		base, _, _ := strings.Cut(field, "[")
		if line, ok = s.lines[base]; !ok {
			line = s.lines[""]
		}
	}
	return &specError{Path: path, Line: line, Reason: reason}
}

// issuerFields lists the YAML keys of an issuer instance with the field each fills.
func (s *issuerSpec) issuerFields() map[string]any {
	return map[string]any{
		"name": &s.Name, "did": &s.DID, "agent": &s.Agent, "key": &s.Key, "cryptosuite": &s.Cryptosuite,
		"allowedScopes": &s.Scopes, "maxValidity": &s.MaxValidity, "tenants": &s.Tenants, "retired": &s.Retired,
		"allowUnresolvedSubjects": &s.AnySubject,
	}
}

// issuerList is the `issuers` setting: the issuer instances, or none for the built-in
// did:key instance. It holds a pointer so that serveConfig stays comparable, and it is a
// flag.Value so that KAKUNIN_ISSUERS and --issuers take the same YAML as the file.
type issuerList struct{ specs *[]issuerSpec }

// list returns the configured instances; nil means none were configured.
func (l issuerList) list() []issuerSpec {
	if l.specs == nil {
		return nil
	}
	return *l.specs
}

// String lists the instance names, for flag defaults and messages.
func (l *issuerList) String() string {
	if l == nil || l.specs == nil {
		return ""
	}
	names := make([]string, 0, len(*l.specs))
	for _, s := range *l.specs {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

// Set parses a YAML list of instances (flow style fits a flag: `[{name: default, did: key, key: k.pem}]`).
func (l *issuerList) Set(s string) error {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		return fmt.Errorf("issuers: %w", err)
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return l.UnmarshalYAML(n.Content[0])
	}
	return errors.New("issuers: want a YAML list of instances")
}

// UnmarshalYAML reads the `issuers` list strictly: an unknown or misspelt key, a value of the
// wrong type and the checks of checkIssuers fail with the YAML path and line.
func (l *issuerList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return specErr("issuers", n, "want a list of instances")
	}
	if len(n.Content) > maxIssuers {
		return specErr("issuers", n, fmt.Sprintf("%d instances; at most %d", len(n.Content), maxIssuers))
	}
	specs := make([]issuerSpec, 0, len(n.Content))
	for i, item := range n.Content {
		s, err := parseIssuer(fmt.Sprintf("issuers[%d]", i), item)
		if err != nil {
			return err
		}
		specs = append(specs, s)
	}
	if err := checkIssuers(specs); err != nil {
		return err
	}
	l.specs = &specs
	return nil
}

// parseIssuer decodes one instance, key by key, so that each error names its field.
func parseIssuer(path string, n *yaml.Node) (issuerSpec, error) {
	s := issuerSpec{path: path, lines: map[string]int{"": n.Line}}
	if n.Kind != yaml.MappingNode {
		return s, specErr(path, n, "want a mapping of instance settings")
	}
	fields := s.issuerFields()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		dst, ok := fields[k.Value]
		if !ok {
			return s, specErr(path, k, fmt.Sprintf("unknown field %q (known: %s)", k.Value, strings.Join(slices.Sorted(maps.Keys(fields)), ", ")))
		}
		s.lines[k.Value] = k.Line
		for j, item := range v.Content {
			if v.Kind == yaml.SequenceNode {
				s.lines[fmt.Sprintf("%s[%d]", k.Value, j)] = item.Line
			}
		}
		if err := v.Decode(dst); err != nil {
			return s, specErr(path+"."+k.Value, v, yamlReason(err))
		}
	}
	return s, checkIssuer(&s)
}

// yamlReason is a decoding error without yaml's "unmarshal errors" framing.
func yamlReason(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			return rest
		}
		return msg
	}
	return err.Error()
}

// specError is a configuration error at a YAML path (issuers[1].cryptosuite), with the
// line it was read from when it came from YAML.
type specError struct {
	Path   string
	Line   int // 0 when unknown
	Reason string
}

func (e *specError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.Path, e.Line, e.Reason)
	}
	return e.Path + ": " + e.Reason
}

func specErr(path string, n *yaml.Node, reason string) error {
	e := &specError{Path: path, Reason: reason}
	if n != nil {
		e.Line = n.Line
	}
	return e
}
