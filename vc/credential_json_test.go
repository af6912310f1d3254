package vc

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// TestMarshalDocument compares the hand encoder with json.Marshal, which it replaces: same
// bytes, same errors, including the values it leaves to json.Marshal.
func TestMarshalDocument(t *testing.T) {
	deep := any("x")
	for range maxEncodeDepth + 2 {
		deep = []any{deep}
	}
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	for _, c := range []struct {
		name string
		doc  map[string]any
	}{
		{"escapes", map[string]any{"s": "x\b\f\n\r\t\x01\x1f\x7f<>&\u2028\u2029é\"\\/\u2027\u202a😀"}},
		{"names sort by bytes", map[string]any{"b": 1, "a": json.Number("1.50"), "é": nil, "Z": true,
			"｡": false, "😀": []any{}, "": map[string]any{}, "<&>": "name"}},
		{"numbers", map[string]any{"n": []any{json.Number(""), json.Number("-0"), json.Number("1e400"),
			json.Number("12345678901234567890"), json.Number("2.5E-3")}}},
		{"invalid number", map[string]any{"n": json.Number("01")}},
		{"invalid UTF-8 value", map[string]any{"s": "a\xffb"}},
		{"invalid UTF-8 name", map[string]any{"\xff": 1}},
		{"float and int", map[string]any{"f": 1.5, "i": 3, "big": 1e21}},
		{"NaN", map[string]any{"f": math.NaN()}},
		{"nil map and slice", map[string]any{"m": map[string]any(nil), "a": []any(nil)}},
		{"other types", map[string]any{"s": []string{"a"}, "m": map[string]string{"b": "c"}}},
		{"deep", map[string]any{"d": deep}},
		{"cyclic", cyclic},
		{"many members", manyMembers(40)},
	} {
		t.Run(c.name, func(t *testing.T) { checkMarshalDocument(t, c.doc) })
	}
}

func manyMembers(n int) map[string]any {
	m := map[string]any{}
	for i := range n {
		m[string(rune('a'+i%26))+string(rune('A'+i/26))] = i%2 == 0
	}
	return m
}

func checkMarshalDocument(t *testing.T, doc map[string]any) {
	t.Helper()
	want, wantErr := json.Marshal(doc)
	got, err := marshalDocument(doc)
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Fatalf("err = %v, want %v", err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("marshalDocument = %s\nwant %s", got, want)
	}
}

// FuzzMarshalDocument: for any object internal/jsonin decodes, the hand encoder writes what
// json.Marshal writes.
func FuzzMarshalDocument(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x",null,true,{}]}`, `{"s":"<\u2028\u0001\"\\>","é":-0}`,
		`{"b":{"c":[[]]},"a":"\ud83d\ude00"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := jsonin.Decode(data, jsonin.Options{AllowNoncharacters: true})
		if err != nil {
			return
		}
		if m, ok := v.(map[string]any); ok {
			checkMarshalDocument(t, m)
		}
	})
}
