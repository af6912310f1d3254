package spec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// schemaValidator checks JSON values against the subset of JSON Schema 2020-12 that the
// kakunin schemas use. It fails on any other keyword, so that a schema cannot silently use a
// keyword this checker ignores. Patterns are ECMA-262 regular expressions; the schemas use
// only syntax that RE2 reads the same way (classes, groups, alternation, bounded repetition).
type schemaValidator struct {
	root     map[string]any
	patterns map[string]*regexp.Regexp
}

var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "$defs": true}

func newSchemaValidator(t testing.TB, data []byte) *schemaValidator {
	t.Helper()
	root, ok := decodeNumbers(t, data).(map[string]any)
	if !ok {
		t.Fatal("schema is not an object")
	}
	return &schemaValidator{root: root, patterns: map[string]*regexp.Regexp{}}
}

func decodeNumbers(t testing.TB, data []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// validate returns nil when v is valid against the schema at ref ("" for the root, or
// "#/$defs/name"), and the first failure otherwise.
func (s *schemaValidator) validate(ref string, v any) error {
	schema := s.root
	if ref != "" {
		schema = s.resolve(ref)
	}
	return s.check(schema, v, "")
}

func (s *schemaValidator) resolve(ref string) map[string]any {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		panic("unsupported $ref " + ref)
	}
	def, ok := s.root["$defs"].(map[string]any)[name].(map[string]any)
	if !ok {
		panic("unknown $ref " + ref)
	}
	return def
}

func (s *schemaValidator) check(schema map[string]any, v any, path string) error {
	for key, kw := range schema {
		if annotations[key] || key == "then" || key == "else" {
			continue
		}
		check, ok := keywords[key]
		if !ok {
			panic("schema keyword not supported by the test validator: " + key)
		}
		if err := check(s, schema, kw, v, path); err != nil {
			return err
		}
	}
	return nil
}

type keyword func(s *schemaValidator, schema map[string]any, kw, v any, path string) error

var keywords map[string]keyword

func init() {
	keywords = map[string]keyword{
		"$ref":                 checkRef,
		"type":                 checkType,
		"enum":                 checkEnum,
		"const":                checkConst,
		"pattern":              checkPattern,
		"minLength":            stringLength(func(n, k int) bool { return n >= k }),
		"maxLength":            stringLength(func(n, k int) bool { return n <= k }),
		"minimum":              numberBound(func(c int) bool { return c >= 0 }),
		"maximum":              numberBound(func(c int) bool { return c <= 0 }),
		"required":             checkRequired,
		"properties":           checkProperties,
		"additionalProperties": checkAdditional,
		"minProperties":        checkMinProperties,
		"items":                checkItems,
		"prefixItems":          checkPrefixItems,
		"contains":             checkContains,
		"minItems":             arrayLength(func(n, k int) bool { return n >= k }),
		"maxItems":             arrayLength(func(n, k int) bool { return n <= k }),
		"uniqueItems":          checkUnique,
		"allOf":                checkAllOf,
		"anyOf":                checkAnyOf,
		"not":                  checkNot,
		"if":                   checkIf,
	}
}

func fail(path, format string, args ...any) error {
	return fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
}
