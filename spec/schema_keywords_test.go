package spec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"unicode/utf8"
)

func checkRef(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	return s.check(s.resolve(kw.(string)), v, p)
}

func checkConst(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	return checkEnum(nil, nil, []any{kw}, v, p)
}

func checkType(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	ok := false
	switch kw {
	case "object":
		_, ok = v.(map[string]any)
	case "array":
		_, ok = v.([]any)
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "integer":
		n, isNum := v.(json.Number)
		r, valid := new(big.Rat).SetString(string(n))
		ok = isNum && valid && r.IsInt()
	default:
		panic("unsupported type " + kw.(string))
	}
	if !ok {
		return fail(p, "not of type %v", kw)
	}
	return nil
}

func checkEnum(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	for _, e := range kw.([]any) {
		if equalJSON(e, v) {
			return nil
		}
	}
	return fail(p, "not one of %v", kw)
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if na, ok := a.(json.Number); ok {
		if nb, ok := b.(json.Number); ok {
			ra, _ := new(big.Rat).SetString(string(na))
			rb, _ := new(big.Rat).SetString(string(nb))
			return ra != nil && rb != nil && ra.Cmp(rb) == 0
		}
	}
	return bytes.Equal(ja, jb)
}

func checkPattern(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	str, ok := v.(string)
	if !ok {
		return nil
	}
	re, ok := s.patterns[kw.(string)]
	if !ok {
		re = regexp.MustCompile(kw.(string))
		s.patterns[kw.(string)] = re
	}
	if !re.MatchString(str) {
		return fail(p, "does not match %s", kw)
	}
	return nil
}

func intOf(kw any) int {
	n, err := kw.(json.Number).Int64()
	if err != nil {
		panic(err)
	}
	return int(n)
}

func stringLength(ok func(n, k int) bool) keyword {
	return func(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
		if str, isStr := v.(string); isStr && !ok(utf8.RuneCountInString(str), intOf(kw)) {
			return fail(p, "length out of bounds")
		}
		return nil
	}
}

func numberBound(ok func(cmp int) bool) keyword {
	return func(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
		n, isNum := v.(json.Number)
		if !isNum {
			return nil
		}
		a, _ := new(big.Rat).SetString(string(n))
		b, _ := new(big.Rat).SetString(string(kw.(json.Number)))
		if a == nil || !ok(a.Cmp(b)) {
			return fail(p, "%s out of bounds", n)
		}
		return nil
	}
}

func checkRequired(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	for _, name := range kw.([]any) {
		if _, ok := m[name.(string)]; !ok {
			return fail(p, "%s is required", name)
		}
	}
	return nil
}

func checkProperties(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	for name, sub := range kw.(map[string]any) {
		if val, ok := m[name]; ok {
			if err := s.check(sub.(map[string]any), val, p+"/"+name); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkAdditional(_ *schemaValidator, schema map[string]any, kw, v any, p string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if kw != false {
		panic("only additionalProperties: false is supported")
	}
	props, _ := schema["properties"].(map[string]any)
	for name := range m {
		if _, ok := props[name]; !ok {
			return fail(p+"/"+name, "additional property")
		}
	}
	return nil
}

func checkMinProperties(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	if m, ok := v.(map[string]any); ok && len(m) < intOf(kw) {
		return fail(p, "too few properties")
	}
	return nil
}

func checkItems(s *schemaValidator, schema map[string]any, kw, v any, p string) error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	start := 0
	if prefix, ok := schema["prefixItems"].([]any); ok {
		start = len(prefix)
	}
	for i := start; i < len(a); i++ {
		if err := s.check(kw.(map[string]any), a[i], fmt.Sprintf("%s/%d", p, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkPrefixItems(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	for i, sub := range kw.([]any) {
		if i < len(a) {
			if err := s.check(sub.(map[string]any), a[i], fmt.Sprintf("%s/%d", p, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkContains(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	for _, item := range a {
		if s.check(kw.(map[string]any), item, p) == nil {
			return nil
		}
	}
	return fail(p, "contains no matching item")
}

func arrayLength(ok func(n, k int) bool) keyword {
	return func(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
		if a, isArr := v.([]any); isArr && !ok(len(a), intOf(kw)) {
			return fail(p, "array length out of bounds")
		}
		return nil
	}
}

func checkUnique(_ *schemaValidator, _ map[string]any, kw, v any, p string) error {
	a, ok := v.([]any)
	if !ok || kw != true {
		return nil
	}
	for i := range a {
		for j := range i {
			if equalJSON(a[i], a[j]) {
				return fail(p, "items %d and %d are equal", j, i)
			}
		}
	}
	return nil
}

func checkAllOf(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	for _, sub := range kw.([]any) {
		if err := s.check(sub.(map[string]any), v, p); err != nil {
			return err
		}
	}
	return nil
}

func checkAnyOf(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	for _, sub := range kw.([]any) {
		if s.check(sub.(map[string]any), v, p) == nil {
			return nil
		}
	}
	return fail(p, "matches none of anyOf")
}

func checkNot(s *schemaValidator, _ map[string]any, kw, v any, p string) error {
	if s.check(kw.(map[string]any), v, p) == nil {
		return fail(p, "matches a schema it must not")
	}
	return nil
}

func checkIf(s *schemaValidator, schema map[string]any, kw, v any, p string) error {
	branch := "else"
	if s.check(kw.(map[string]any), v, p) == nil {
		branch = "then"
	}
	if sub, ok := schema[branch].(map[string]any); ok {
		return s.check(sub, v, p)
	}
	return nil
}
