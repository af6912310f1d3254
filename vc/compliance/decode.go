package compliance

import (
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Bounds shared with spec/schemas/compliance-credential.json.
const (
	maxList     = 32   // articles, controls, safeguards
	maxEvidence = 16   // audit-log evidence entries
	maxText     = 256  // names, versions, origins
	maxURL      = 2048 // URLs and DIDs
)

// enum returns a string member that must be one of values.
func enum(o claims.Object, name string, required bool, values ...string) (string, error) {
	s, err := o.Str(name, required, maxText)
	if err != nil || s == "" {
		return s, err
	}
	if !slices.Contains(values, s) {
		return "", claims.Malformed(claims.At(o.Path, name), nil, "must be one of %s", strings.Join(values, ", "))
	}
	return s, nil
}

// enums returns an array member of unique strings, each one of values.
func enums(o claims.Object, name string, required bool, values ...string) ([]string, error) {
	list, err := o.Strings(name, required, maxList, maxText)
	if err != nil {
		return nil, err
	}
	for i, s := range list {
		if !slices.Contains(values, s) {
			return nil, claims.Malformed(claims.At(claims.At(o.Path, name), i), nil, "must be one of %s", strings.Join(values, ", "))
		}
	}
	return list, nil
}
