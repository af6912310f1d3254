package jsonin

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"object", `{"a":1,"b":[true,false,null],"c":"x"}`, map[string]any{
			"a": json.Number("1"), "b": []any{true, false, nil}, "c": "x"}},
		{"number literal kept", `[1.50, -0, 1e400, 12345678901234567890]`, []any{
			json.Number("1.50"), json.Number("-0"), json.Number("1e400"), json.Number("12345678901234567890")}},
		{"escapes", `"\u00e9\ud83d\ude00\n"`, "é😀\n"},
		{"empty containers", `{"a":{},"b":[]}`, map[string]any{"a": map[string]any{}, "b": []any{}}},
		{"surrounding whitespace", " \t\r\n{}\n ", map[string]any{}},
		{"scalar top level", `"s"`, "s"},
		{"same name in sibling objects", `[{"a":1},{"a":2}]`, []any{
			map[string]any{"a": json.Number("1")}, map[string]any{"a": json.Number("2")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in), Options{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	deep := strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1)
	tests := []struct {
		name    string
		in      string
		opts    Options
		want    error
		offset  int64
		pointer string
	}{
		{"too large", `{"a":"0123456789"}`, Options{MaxBytes: 10}, ErrTooLarge, 10, ""},
		{"too deep default", deep, Options{}, ErrTooDeep, DefaultMaxDepth, strings.Repeat("/0", DefaultMaxDepth)},
		{"too deep option", `{"a":{"b":{}}}`, Options{MaxDepth: 2}, ErrTooDeep, 9, "/a/b"},
		{"duplicate key", `{"a":1,"b":2,"a":3}`, Options{}, ErrDuplicateKey, 13, "/a"},
		{"duplicate nested", `{"x":{"k":1,"k":1}}`, Options{}, ErrDuplicateKey, 12, "/x/k"},
		{"invalid utf-8 byte", "{\"a\":\"\xff\"}", Options{}, ErrInvalidUTF8, 6, ""},
		{"overlong utf-8", "\"\xc0\xaf\"", Options{}, ErrInvalidUTF8, 1, ""},
		{"encoded surrogate", "\"\xed\xa0\x80\"", Options{}, ErrInvalidUTF8, 1, ""},
		{"lone high surrogate escape", `{"a":"\ud800"}`, Options{}, ErrInvalidUTF8, 6, "/a"},
		{"lone low surrogate escape", `["x","\uDC00"]`, Options{}, ErrInvalidUTF8, 6, "/1"},
		{"reversed pair", `"\udc00\ud800"`, Options{}, ErrInvalidUTF8, 1, ""},
		{"surrogate in name", `{"\ud800":1}`, Options{}, ErrInvalidUTF8, 2, ""},
		{"noncharacter FFFE", `{"a":"\ufffe"}`, Options{}, ErrInvalidUTF8, 5, "/a"},
		{"noncharacter FDD0 raw", "[\"\uFDD0\"]", Options{}, ErrInvalidUTF8, 1, "/0"},
		{"noncharacter plane 16", `"\udbff\udfff"`, Options{}, ErrInvalidUTF8, 0, ""},
		{"noncharacter in name", `{"\uffff":1}`, Options{}, ErrInvalidUTF8, 1, "/\uffff"},
		{"trailing value", `{}{}`, Options{}, ErrSyntax, 2, ""},
		{"trailing garbage", `{"a":1} x`, Options{}, ErrSyntax, 8, ""},
		{"trailing comma", `[1,]`, Options{}, ErrSyntax, 2, ""},
		{"empty", ``, Options{}, ErrSyntax, 0, ""},
		{"whitespace only", `  `, Options{}, ErrSyntax, 2, ""},
		{"truncated", `{"a":`, Options{}, ErrSyntax, 5, ""},
		{"single quotes", `{'a':1}`, Options{}, ErrSyntax, 1, ""},
		{"leading zero", `01`, Options{}, ErrSyntax, 1, ""},
		{"NaN", `NaN`, Options{}, ErrSyntax, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not *Error", err)
			}
			if e.Offset != tt.offset || e.Pointer != tt.pointer {
				t.Errorf("offset, pointer = %d, %q; want %d, %q (%v)", e.Offset, e.Pointer, tt.offset, tt.pointer, err)
			}
		})
	}
}

func TestAllowNoncharacters(t *testing.T) {
	got, err := Decode([]byte(`"\ufffe"`), Options{AllowNoncharacters: true})
	if err != nil || got != "\ufffe" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestDepthLimitIsInclusive(t *testing.T) {
	in := strings.Repeat("[", 3) + strings.Repeat("]", 3)
	if _, err := Decode([]byte(in), Options{MaxDepth: 3}); err != nil {
		t.Fatalf("depth 3 with MaxDepth 3: %v", err)
	}
}

func TestUnmarshal(t *testing.T) {
	type doc struct {
		Name  string   `json:"name"`
		Items []string `json:"items"`
	}
	t.Run("fills struct", func(t *testing.T) {
		var d doc
		if err := Unmarshal([]byte(`{"name":"n","items":["a"],"other":1}`), &d, Options{}); err != nil {
			t.Fatal(err)
		}
		if d.Name != "n" || len(d.Items) != 1 || d.Items[0] != "a" {
			t.Fatalf("got %+v", d)
		}
	})
	t.Run("semantic error keeps its pointer", func(t *testing.T) {
		var d doc
		err := Unmarshal([]byte(`{"items":["a",2]}`), &d, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Pointer != "/items/1" || e.Offset != 14 {
			t.Fatalf("got %+v", err)
		}
	})
	t.Run("names are case-sensitive", func(t *testing.T) {
		var d doc
		if err := Unmarshal([]byte(`{"NAME":"n"}`), &d, Options{}); err != nil || d.Name != "" {
			t.Fatalf("got %+v, %v", d, err)
		}
	})
	rejects := []struct {
		name string
		in   string
		want error
	}{
		{"duplicate", `{"name":"a","name":"b"}`, ErrDuplicateKey},
		{"depth", `{"items":[[[]]]}`, ErrTooDeep},
		{"type mismatch", `{"name":1}`, ErrSyntax},
		{"noncharacter", `{"name":"\ufdd0"}`, ErrInvalidUTF8},
	}
	for _, tt := range rejects {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(tt.in), &d, Options{MaxDepth: 2})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Fatalf("err %T is not *Error", err)
			}
		})
	}
}

func TestReadAll(t *testing.T) {
	if _, err := ReadAll(strings.NewReader(strings.Repeat(" ", 11)), Options{MaxBytes: 10}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("11 bytes with limit 10: %v", err)
	}
	b, err := ReadAll(strings.NewReader("0123456789"), Options{MaxBytes: 10})
	if err != nil || len(b) != 10 {
		t.Fatalf("10 bytes with limit 10: %d, %v", len(b), err)
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Decode([]byte(`{"a":1,"a":2}`), Options{})
	want := "jsonin: duplicate object member name at offset 7 (/a)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
