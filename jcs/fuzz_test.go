package jcs

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzTransform checks, for any input, that Transform does not panic and that
// whatever it accepts comes out as valid JSON with the same value, which is
// already canonical (Transform is idempotent).
func FuzzTransform(f *testing.F) {
	for _, seed := range []string{
		`{"b":[1,2.5e-7,-0,"\u00e9"],"a":{"\ud83d\ude00":null,"\u20ac":true}}`,
		`[333333333.33333329, 1E30, 4.50, 2e-3]`,
		`"\u0000\b\f\n\r\t\"\\\/"`,
		`{"a":1,"a":2}`,
		`[[[[]]]]`,
		"\"\xff\"",
		`1e400`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Transform(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("Transform(%q) = %q, not valid JSON", in, out)
		}
		again, err := Transform(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
		var want, got any
		if err := json.Unmarshal(in, &want); err != nil {
			t.Fatalf("Transform accepted %q, which encoding/json rejects: %v", in, err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("value changed: %q (%#v) -> %q (%#v)", in, want, out, got)
		}
	})
}
