package jsonin

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x",null,true]}`, `{"a":1,"a":2}`, `"\ud800"`, `[[[[]]]]`,
		"\"\xff\"", `{"\ufffe":0}`, `{} []`, credential2KB} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data, Options{MaxDepth: 16})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted input that encoding/json rejects: %q", data)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("marshal of decoded value: %v", err)
		}
		again, err := Decode(out, Options{MaxDepth: 16})
		if err != nil {
			t.Fatalf("re-decode of %q: %v", out, err)
		}
		if !reflect.DeepEqual(v, again) {
			t.Fatalf("round trip changed value: %#v -> %#v", v, again)
		}
	})
}

// FuzzFastPath checks the fast path against the token walker: whatever it accepts, the walker
// accepts too, with the same value, so that only the walker ever refuses input.
func FuzzFastPath(f *testing.F) {
	for _, s := range fastPathCases {
		f.Add([]byte(s), uint8(3), false)
	}
	f.Add([]byte(credential2KB), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, depth uint8, nonchars bool) {
		if !utf8.Valid(data) {
			return // walk refuses it before either path runs
		}
		opts := Options{MaxDepth: int(depth), AllowNoncharacters: nonchars}
		fast, ok := fastDecode(data, opts)
		if !ok {
			return
		}
		slow, err := walkTokens(data, opts, true)
		if err != nil {
			t.Fatalf("fast path accepted %q, which the walker refuses: %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast path decoded %q as %#v, the walker as %#v", data, fast, slow)
		}
	})
}
