package claims

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// wantMalformed checks that err is a MALFORMED_VALUE_ERROR at path.
func wantMalformed(t *testing.T, err error, path string) {
	t.Helper()
	var e *vc.Error
	if !errors.Is(err, vc.ErrMalformedValue) || !errors.As(err, &e) || e.Path != path {
		t.Fatalf("error = %v, want a malformed value at %s", err, path)
	}
}

func TestAt(t *testing.T) {
	tests := []struct{ got, want string }{
		{At("/a", "b"), "/a/b"},
		{At("/a", 3), "/a/3"},
		{At("", "x/y~z"), "/x~1y~0z"}, // RFC 6901 §3
		{At("/a", "~1"), "/a/~01"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("At = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote(`a"b`); got != `"a\"b"` {
		t.Errorf("Quote = %s", got)
	}
	if got := Quote(strings.Repeat("x", 100)); got != `"`+strings.Repeat("x", 64)+`…"` {
		t.Errorf("Quote of a long string = %s, want it cut to 64 bytes", got)
	}
}

func TestAsObject(t *testing.T) {
	tests := []struct {
		name string
		v    any
		path string // "" when valid
	}{
		{"allowed members", map[string]any{"a": 1.0}, ""},
		{"empty object", map[string]any{}, ""},
		{"not an object", []any{}, "/o"},
		{"unknown member", map[string]any{"a/b": 1.0}, "/o/a~1b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := AsObject(tt.v, "/o", "a")
			if tt.path != "" {
				wantMalformed(t, err, tt.path)
				return
			}
			if err != nil || o.Path != "/o" {
				t.Fatalf("AsObject = %+v, %v", o, err)
			}
		})
	}
}

func TestObjectStr(t *testing.T) {
	o := Object{Path: "/o", Members: map[string]any{"s": "héllo", "n": 1.0, "e": ""}}
	tests := []struct {
		name     string
		member   string
		required bool
		max      int
		want     string
		path     string
	}{
		{"present", "s", true, 5, "héllo", ""}, // five characters, six bytes
		{"too long", "s", true, 4, "", "/o/s"},
		{"not a string", "n", false, 9, "", "/o/n"},
		{"empty", "e", false, 9, "", "/o/e"},
		{"absent optional", "x", false, 9, "", ""},
		{"absent required", "x", true, 9, "", "/o/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := o.Str(tt.member, tt.required, tt.max)
			if tt.path != "" {
				wantMalformed(t, err, tt.path)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Str = %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestObjectStrings(t *testing.T) {
	o := Object{Path: "/o", Members: map[string]any{
		"ok":    []any{"a", "b"},
		"dup":   []any{"a", "a"},
		"empty": []any{},
		"item":  []any{"a", 1.0},
		"long":  []any{"abcd"},
	}}
	tests := []struct {
		name, member string
		required     bool
		want         []string
		path         string
	}{
		{"unique strings", "ok", true, []string{"a", "b"}, ""},
		{"duplicate", "dup", true, nil, "/o/dup/1"},
		{"empty array", "empty", false, nil, "/o/empty"},
		{"non-string item", "item", false, nil, "/o/item/1"},
		{"item too long", "long", false, nil, "/o/long/0"},
		{"absent optional", "x", false, nil, ""},
		{"absent required", "x", true, nil, "/o/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := o.Strings(tt.member, tt.required, 2, 3)
			if tt.path != "" {
				wantMalformed(t, err, tt.path)
				return
			}
			if err != nil || strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("Strings = %q, %v, want %q", got, err, tt.want)
			}
		})
	}
	if _, err := (Object{Path: "/o", Members: map[string]any{"a": []any{"a", "b", "c"}}}).Strings("a", true, 2, 3); err == nil {
		t.Fatal("Strings accepted more than maxItems items")
	}
}

func TestObjectInteger(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want int64
		ok   bool
	}{
		{"json.Number", json.Number("42"), 42, true},
		{"float64", 42.0, 42, true},
		{"zero fraction", json.Number("10.0"), 10, true},
		{"exponent", json.Number("1e1"), 10, true},
		{"fraction", json.Number("1.5"), 0, false},
		{"float64 fraction", 1.5, 0, false},
		{"below min", json.Number("0"), 0, false},
		{"above max", 101.0, 0, false},
		{"beyond 2^53", json.Number("1e300"), 0, false},
		{"string", "42", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Object{Path: "/o", Members: map[string]any{"n": tt.v}}
			got, err := o.Integer("n", 1, 100)
			if !tt.ok {
				wantMalformed(t, err, "/o/n")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Integer = %d, %v, want %d", got, err, tt.want)
			}
		})
	}
	_, err := Object{Path: "/o", Members: map[string]any{}}.Integer("n", 1, 100)
	wantMalformed(t, err, "/o/n")
}

func TestObjectBoolean(t *testing.T) {
	o := Object{Path: "/o", Members: map[string]any{"t": true, "s": "true"}}
	if b, err := o.Boolean("t", true); err != nil || !b {
		t.Fatalf("Boolean(t) = %v, %v", b, err)
	}
	if b, err := o.Boolean("x", false); err != nil || b {
		t.Fatalf("Boolean of an absent optional member = %v, %v", b, err)
	}
	_, err := o.Boolean("s", false)
	wantMalformed(t, err, "/o/s")
	_, err = o.Boolean("x", true)
	wantMalformed(t, err, "/o/x")
	if !o.Has("t") || o.Has("x") {
		t.Fatal("Has disagrees with Members")
	}
}

func TestArray(t *testing.T) {
	if items, err := Array([]any{1.0}, "/a", 1); err != nil || len(items) != 1 {
		t.Fatalf("Array = %v, %v", items, err)
	}
	for _, v := range []any{[]any{}, []any{1.0, 2.0}, "x"} {
		_, err := Array(v, "/a", 1)
		wantMalformed(t, err, "/a")
	}
}

func TestParty(t *testing.T) {
	tests := []struct {
		name     string
		v        any
		id, path string
	}{
		{"DID and name", map[string]any{"id": "did:web:a.example", "name": "A"}, "did:web:a.example", ""},
		{"URL only", map[string]any{"id": "https://a.example/"}, "https://a.example/", ""},
		{"relative id", map[string]any{"id": "a.example"}, "", "/p/id"},
		{"id too long", map[string]any{"id": "did:web:" + strings.Repeat("a", 30)}, "", "/p/id"},
		{"missing id", map[string]any{"name": "A"}, "", "/p/id"},
		{"unknown member", map[string]any{"id": "did:web:a", "x": 1.0}, "", "/p/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, _, err := Party(tt.v, "/p", 32, 8)
			if tt.path != "" {
				wantMalformed(t, err, tt.path)
				return
			}
			if err != nil || id != tt.id {
				t.Fatalf("Party = %q, %v, want %q", id, err, tt.id)
			}
		})
	}
}

func TestIsAbsoluteURI(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"did:key:z6Mk", true},
		{"https://a.example/x?y#z", true},
		{"urn:uuid:1", true},
		{"a+b-c.d:x", true},
		{":x", false},      // empty scheme
		{"1a:x", false},    // scheme starts with a digit
		{"a_b:x", false},   // "_" is not a scheme character
		{"did:", false},    // nothing after the colon
		{"did:a b", false}, // space
		{"did:é", false},   // non-ASCII
		{"nocolon", false},
	}
	for _, tt := range tests {
		if got := IsAbsoluteURI(tt.s); got != tt.want {
			t.Errorf("IsAbsoluteURI(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
