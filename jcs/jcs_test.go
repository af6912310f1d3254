package jcs

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestTransformRFCExamples(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{
			name: "section 3.2.2 serialization",
			in: `{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
			want: `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{
			name: "section 3.2.3 sorting",
			in: `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`,
			want: "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
		},
		{
			name: "nested objects sorted, arrays kept in order",
			in:   ` { "b" : [ {"z":1,"a":2}, 3 ], "a" : { } , "c":[]} `,
			want: `{"a":{},"b":[{"a":2,"z":1},3],"c":[]}`,
		},
		{
			name: "string escaping",
			in:   `"\u0000\u0001\b\t\n\f\r\u001f \u007f\u2028/\u00e9"`,
			want: "\"\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f \u007f\u2028/é\"",
		},
		{name: "literal", in: "true", want: "true"},
		{name: "escaped and raw names sort alike", in: `{"\u0062":1,"a":2}`, want: `{"a":2,"b":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Transform([]byte(tt.in))
			if err != nil {
				t.Fatalf("Transform: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Transform =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCompareUTF16 checks the order of names across the UTF-8/UTF-16
// divergence: U+E000..U+FFFF sort after supplementary code points in UTF-16.
func TestCompareUTF16(t *testing.T) {
	ordered := []string{"", "\r", "1", "a", "ab", "\u0080", "ö", "€", "\U0001F600", "\U0001F601", "\U0010FFFD", "\ufb33", "\ufffd"}
	for i := range ordered {
		for j := range ordered {
			got := compareUTF16([]byte(ordered[i]), []byte(ordered[j]))
			if (i < j && got >= 0) || (i > j && got <= 0) || (i == j && got != 0) {
				t.Errorf("compareUTF16(%q, %q) = %d, want sign of %d", ordered[i], ordered[j], got, i-j)
			}
		}
	}
}

func TestTransformErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrSyntax},
		{"trailing comma", `[1,]`, ErrSyntax},
		{"trailing data", `{} {}`, ErrSyntax},
		{"leading zero", `01`, ErrSyntax},
		{"bare point", `1.`, ErrSyntax},
		{"plus sign", `+1`, ErrSyntax},
		{"NaN literal", `NaN`, ErrSyntax},
		{"Infinity literal", `[-Infinity]`, ErrSyntax},
		{"hex number", `0x10`, ErrSyntax},
		{"single quotes", `{'a':1}`, ErrSyntax},
		{"unescaped control", "\"a\x01\"", ErrSyntax},
		{"bad escape", `"\x41"`, ErrSyntax},
		{"short unicode escape", `"\u12"`, ErrSyntax},
		{"unterminated string", `"abc`, ErrSyntax},
		{"byte order mark", "\ufeff{}", ErrSyntax},
		{"number overflow", `1e309`, ErrNumber},
		{"negative overflow", `[-1.8e308]`, ErrNumber},
		{"duplicate name", `{"a":1,"b":2,"a":3}`, ErrDuplicateKey},
		{"duplicate after unescaping", `{"a":1,"\u0061":2}`, ErrDuplicateKey},
		{"nested duplicate", `[{"x":{"k":1,"k":1}}]`, ErrDuplicateKey},
		{"invalid UTF-8", "\"\xff\"", ErrInvalidString},
		{"overlong UTF-8", "\"\xc0\xaf\"", ErrInvalidString},
		{"UTF-8 encoded surrogate", "\"\xed\xa0\x80\"", ErrInvalidString},
		{"lone high surrogate", `"\ud83d"`, ErrInvalidString},
		{"lone low surrogate", `"\ude00"`, ErrInvalidString},
		{"high surrogate then letter", `"\ud83dx"`, ErrInvalidString},
		{"two high surrogates", `"\ud83d\ud83d"`, ErrInvalidString},
		{"escaped noncharacter", `"\uffff"`, ErrInvalidString},
		{"raw noncharacter", "\"\ufdd0\"", ErrInvalidString},
		{"supplementary noncharacter", `"\ud83f\udffe"`, ErrInvalidString},
		{"invalid UTF-8 in name", "{\"\xfe\":1}", ErrInvalidString},
		{"too deep", strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1), ErrTooDeep},
		{"too large", `"` + strings.Repeat("a", DefaultMaxBytes) + `"`, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Transform([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Transform(%.40q) = %q, %v; want %v", tt.in, out, err, tt.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(tt.in) {
				t.Errorf("error %v does not locate the failure within the input", err)
			}
		})
	}
}

func TestOptionsBounds(t *testing.T) {
	deep := strings.Repeat("[", 3) + strings.Repeat("]", 3)
	if _, err := (Options{MaxDepth: 3}).Transform([]byte(deep)); err != nil {
		t.Errorf("depth 3 with MaxDepth 3: %v", err)
	}
	if _, err := (Options{MaxDepth: 2}).Transform([]byte(deep)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("depth 3 with MaxDepth 2: %v, want ErrTooDeep", err)
	}
	if _, err := (Options{MaxBytes: 6}).Transform([]byte(deep)); err != nil {
		t.Errorf("6 bytes with MaxBytes 6: %v", err)
	}
	if _, err := (Options{MaxBytes: 5}).Transform([]byte(deep)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("6 bytes with MaxBytes 5: %v, want ErrTooLarge", err)
	}
	ok := strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth)
	if _, err := Transform([]byte(ok)); err != nil {
		t.Errorf("depth %d with the default bound: %v", DefaultMaxDepth, err)
	}
}

func TestMarshal(t *testing.T) {
	type subject struct {
		Name  string  `json:"name"`
		Score float64 `json:"score"`
	}
	v := map[string]any{
		"z":       []any{1e21, 0.1, math.Copysign(0, -1)},
		"subject": subject{Name: "<agent> & co", Score: 4.5},
	}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json's HTML escapes (\u003c, \u0026) are undone: JCS writes
	// every character above U+001F as is.
	want := `{"subject":{"name":"<agent> & co","score":4.5},"z":[1e+21,0.1,0]}`
	if string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func TestMarshalRejectsUnsupported(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"NaN", math.NaN()},
		{"infinity", []float64{math.Inf(-1)}},
		{"channel", make(chan int)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Marshal(tt.v)
			var value *json.UnsupportedValueError
			var typ *json.UnsupportedTypeError
			if !errors.As(err, &value) && !errors.As(err, &typ) {
				t.Errorf("Marshal(%s) = %s, %v; want an unsupported value or type error", tt.name, out, err)
			}
		})
	}
}
