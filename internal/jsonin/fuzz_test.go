package jsonin

import (
	"encoding/json"
	"reflect"
	"testing"
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
