package did

import (
	"bytes"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"slices"
)

// object is a JSON object written with its members in the order added, so that
// documents come out deterministic and readable ("id" first, extensions last, sorted).
type object []member

type member struct {
	key string
	val any
}

func (o *object) add(key string, val any) { *o = append(*o, member{key, val}) }

// addString adds key unless s is empty.
func (o *object) addString(key, s string) {
	if s != "" {
		o.add(key, s)
	}
}

// addSet adds a set of strings, as a JSON string when it has one element (the two
// forms are the same value in JSON-LD, and DID Core allows either where this is
// used), omitted when empty.
func (o *object) addSet(key string, s []string) {
	switch len(s) {
	case 0:
	case 1:
		o.add(key, s[0])
	default:
		o.add(key, s)
	}
}

// addExtra adds the extension members in key order, skipping those already present.
func (o *object) addExtra(extra map[string]jsontext.Value) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !slices.ContainsFunc(*o, func(m member) bool { return m.key == k }) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		o.add(k, extra[k])
	}
}

// MarshalJSONTo writes o straight into enc (json.MarshalerTo): no buffer per
// member, and no re-validation of nested encodings.
func (o object) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, m := range o {
		if err := enc.WriteToken(jsontext.String(m.key)); err != nil {
			return err
		}
		if err := json.MarshalEncode(enc, m.val, json.Deterministic(true)); err != nil {
			return fmt.Errorf("did: encoding %q: %w", m.key, err)
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.val, json.Deterministic(true))
		if err != nil {
			return nil, fmt.Errorf("did: encoding %q: %w", m.key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// fields is a decoded JSON object; json.Unmarshal into it rejects duplicate member
// names and invalid UTF-8 at every depth (encoding/json/v2 defaults).
type fields map[string]jsontext.Value

func decodeObject(path string, v jsontext.Value) (fields, error) {
	if v.Kind() != '{' {
		return nil, docErr(path, "must be a JSON object, not %s", kindName(v))
	}
	var f fields
	if err := json.Unmarshal(v, &f); err != nil {
		return nil, docErr(path, "%v", err)
	}
	return f, nil
}

func kindName(v jsontext.Value) string {
	switch v.Kind() {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "invalid JSON"
}

func decodeString(path string, v jsontext.Value) (string, error) {
	if v.Kind() != '"' {
		return "", docErr(path, "must be a string, not %s", kindName(v))
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", docErr(path, "%v", err)
	}
	return s, nil
}

// decodeArray splits a JSON array into its elements.
func decodeArray(path string, v jsontext.Value) ([]jsontext.Value, error) {
	if v.Kind() != '[' {
		return nil, docErr(path, "must be an array, not %s", kindName(v))
	}
	var a []jsontext.Value
	if err := json.Unmarshal(v, &a); err != nil {
		return nil, docErr(path, "%v", err)
	}
	return a, nil
}

// decodeSet reads a set of strings: an array of distinct strings or, when single is
// true, also one string. check validates each element.
func decodeSet(path string, v jsontext.Value, single bool, check func(string) error) ([]string, error) {
	if single && v.Kind() == '"' {
		v = jsontext.Value("[" + string(v) + "]")
	}
	items, err := decodeArray(path, v)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, err := decodeString(p, item)
		if err != nil {
			return nil, err
		}
		if check != nil {
			if err := check(s); err != nil {
				return nil, docErr(p, "%v", err)
			}
		}
		if slices.Contains(out, s) {
			return nil, docErr(p, "duplicate %q in a set", truncate(s))
		}
		out = append(out, s)
	}
	return out, nil
}

func requiredString(path string, f fields, key string) (string, error) {
	p := key
	if path != "" {
		p = path + "." + key
	}
	v, ok := f[key]
	if !ok {
		return "", docErr(path, "missing %q", key)
	}
	s, err := decodeString(p, v)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", docErr(p, "empty")
	}
	return s, nil
}

// extra returns the members left in f, compacted, or nil.
func extra(f fields) map[string]jsontext.Value {
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]jsontext.Value, len(f))
	for k, v := range f {
		out[k] = compact(v)
	}
	return out
}

func compact(v jsontext.Value) jsontext.Value {
	c := v.Clone()
	if err := c.Compact(); err != nil {
		return v
	}
	return c
}
