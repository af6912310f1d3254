package jsonin

import (
	"reflect"
	"testing"
)

// fastPathCases are inputs on both sides of the fast path's boundary; FuzzFastPath starts
// from them.
var fastPathCases = []string{
	`{"a":[1,2.5e3,"x",null,true,false]}`, `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `"\ud800"`,
	`"\ud83d\ude00"`, `[[[[]]]]`, `{"\ufffe":0}`, "\"\uFDD0\"", `{} []`, `01`, `-`, `1.`, `1e`,
	`-0.0e+5`, `truex`, `nul`, `[1,]`, `{"a":1,}`, `{"a" 1}`, "\"a\x01\"", `"\x"`, ` {"b" : [ ] } `,
	`{"a":"\/\"\\\b\f\n\r\t"}`, "\xef\xbb\xbf{}", `[1 2]`, `"unterminated`, ``,
}

func TestFastPathAgreesWithWalker(t *testing.T) {
	for _, in := range append(fastPathCases, credential2KB) {
		for _, opts := range []Options{{}, {MaxDepth: 3}, {AllowNoncharacters: true}} {
			fast, ok := fastDecode([]byte(in), opts)
			slow, err := walkTokens([]byte(in), opts, true)
			switch {
			case ok && err != nil:
				t.Errorf("%q %+v: fast path accepted what the walker refuses: %v", in, opts, err)
			case ok && !reflect.DeepEqual(fast, slow):
				t.Errorf("%q %+v: fast path gave %#v, the walker %#v", in, opts, fast, slow)
			}
		}
	}
}

func TestFastPathTakesTypicalInput(t *testing.T) {
	for _, in := range []string{credential2KB, `{"a":"\u00e9\ud83d\ude00\n"}`, `[-0.0e+5, 1E-2, 0, 12]`} {
		if _, ok := fastDecode([]byte(in), Options{}); !ok {
			t.Errorf("fast path gave up on %q", in)
		}
	}
}
