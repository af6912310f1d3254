package main

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxRetiredAuditKeys bounds --audit-retired-keys: each key adds a signature to
// every checkpoint, and C2SP signed-note verifiers need accept only 16.
const maxRetiredAuditKeys = 8

// keyURIList is the `auditRetiredKeys` setting: a list of key URIs. It holds a
// pointer so that serveConfig stays comparable, and it is a flag.Value so that
// the flag and the environment take the same YAML as the file (flow style fits
// a flag: `[/keys/audit-2025.pem]`); a single URI is a list of one.
type keyURIList struct{ uris *[]string }

// list returns the configured URIs.
func (l keyURIList) list() []string {
	if l.uris == nil {
		return nil
	}
	return *l.uris
}

// String lists the URIs, for flag defaults and messages.
func (l *keyURIList) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(l.list(), ",")
}

// Set parses a YAML list of key URIs, or one URI.
func (l *keyURIList) Set(s string) error {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		return fmt.Errorf("want a YAML list of key URIs: %w", err)
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 {
		return errors.New("want a YAML list of key URIs")
	}
	if n.Content[0].Kind == yaml.ScalarNode {
		return l.set([]string{s})
	}
	return l.UnmarshalYAML(n.Content[0])
}

// UnmarshalYAML reads a list of key URIs (strings).
func (l *keyURIList) UnmarshalYAML(n *yaml.Node) error {
	var uris []string
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: want a list of key URIs", n.Line)
	}
	if err := n.Decode(&uris); err != nil {
		return fmt.Errorf("line %d: want a list of key URIs: %w", n.Line, err)
	}
	return l.set(uris)
}

func (l *keyURIList) set(uris []string) error {
	if len(uris) > maxRetiredAuditKeys {
		return fmt.Errorf("%d keys; at most %d", len(uris), maxRetiredAuditKeys)
	}
	for i, u := range uris {
		if strings.TrimSpace(u) == "" {
			return fmt.Errorf("key %d: empty key URI", i)
		}
	}
	l.uris = &uris
	return nil
}

// checkAuditKeys refuses a key URI given twice among --audit-key and
// --audit-retired-keys. The same key under two URIs is refused when the keys
// are opened (audit.ErrDuplicateKey).
func (c serveConfig) checkAuditKeys() error {
	seen := map[string]bool{c.auditKeyURI(): true}
	for i, u := range c.AuditRetiredKeys.list() {
		if seen[u] {
			return fmt.Errorf("--audit-retired-keys: key %d is given twice, or is --audit-key", i)
		}
		seen[u] = true
	}
	return nil
}
