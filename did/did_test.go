package did

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	valid := []struct{ in, method, id string }{
		{"did:example:123456789abcdefghi", "example", "123456789abcdefghi"},
		{"did:web:example.com%3A8443:user:alice", "web", "example.com%3A8443:user:alice"},
		{"did:x:a::b", "x", "a::b"}, // empty segments are allowed before the last one
		{"did:x::a", "x", ":a"},
		{"did:3:A.b-c_d%aF", "3", "A.b-c_d%aF"},
	}
	for _, c := range valid {
		t.Run(c.in, func(t *testing.T) {
			d, err := Parse(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Method != c.method || d.ID != c.id || d.String() != c.in {
				t.Fatalf("got %+v", d)
			}
		})
	}
	invalid := []struct{ in, reason string }{
		{"", "prefix"},
		{"did:", "empty method"},
		{"DID:example:1", "upper-case scheme"},
		{"did:Example:1", "upper-case method"},
		{"did:ex-ample:1", "hyphen in method"},
		{"did:example", "no method-specific id"},
		{"did:example:", "empty method-specific id"},
		{"did:example:1:", "trailing colon"},
		{"did:example::", "only colons"},
		{"did:example:1%", "truncated pct-encoding"},
		{"did:example:1%2", "truncated pct-encoding"},
		{"did:example:1%zz", "non-hex pct-encoding"},
		{"did:example:1/path", "path in a DID"},
		{"did:example:1#frag", "fragment in a DID"},
		{"did:example:a b", "space"},
		{"did:example:\u00e9", "non-ASCII"},
		{"did:example:" + strings.Repeat("a", MaxLength), "too long"},
	}
	for _, c := range invalid {
		t.Run(c.reason, func(t *testing.T) {
			_, err := Parse(c.in)
			var se *SyntaxError
			if !errors.Is(err, ErrInvalidDID) || !errors.As(err, &se) {
				t.Fatalf("Parse(%q) = %v, want a SyntaxError wrapping ErrInvalidDID", c.in, err)
			}
		})
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	for in, pos := range map[string]int{"did:example:1:": 13, "did:Ex:1": 4, "did:ex:a%2x": 8, "did:ex:a b": 8} {
		_, err := Parse(in)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Pos != pos {
			t.Errorf("Parse(%q): %v, want position %d", in, err, pos)
		}
	}
}

func TestParseURL(t *testing.T) {
	valid := []struct {
		in                        string
		path, query, fragment     string
		forceQuery, forceFragment bool
	}{
		{in: "did:example:123"},
		{in: "did:example:123/path/to/x", path: "/path/to/x"},
		{in: "did:example:123/", path: "/"},
		{in: "did:example:123//a", path: "//a"},
		{in: "did:example:123?versionId=1", query: "versionId=1"},
		{in: "did:example:123#key-1", fragment: "key-1"},
		{in: "did:example:123?", forceQuery: true},
		{in: "did:example:123#", forceFragment: true},
		{in: "did:example:123/p;x=1@a:b?q=/?#f/?:@", path: "/p;x=1@a:b", query: "q=/?", fragment: "f/?:@"},
		{in: "did:example:123?service=files&relativeRef=%2Fresume.pdf#intro", query: "service=files&relativeRef=%2Fresume.pdf", fragment: "intro"},
	}
	for _, c := range valid {
		t.Run(c.in, func(t *testing.T) {
			u, err := ParseURL(c.in)
			if err != nil {
				t.Fatal(err)
			}
			want := URL{DID: u.DID, Path: c.path, Query: c.query, Fragment: c.fragment, ForceQuery: c.forceQuery, ForceFragment: c.forceFragment}
			if u != want || u.String() != c.in {
				t.Fatalf("got %+v (%s)", u, u)
			}
		})
	}
	invalid := []string{
		"did:example:123#a#b",
		"did:example:123#a b",
		"did:example:123?a%2",
		"did:example:123/%zz",
		"did:example:123/a[b]",
		"did:example::/p",
		"did:example:1@x",
		"did:example:1?versionTime=2021-05-10T17:00:00.5Z",
		"did:example:1?versionId=1&versionId=2",
		"did:example:1?service=a&service=b",
		"https://example.com/",
	}
	for _, in := range invalid {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseURL(in); !errors.Is(err, ErrInvalidDIDURL) {
				t.Fatalf("ParseURL(%q) = %v, want ErrInvalidDIDURL", in, err)
			}
		})
	}
}

func TestParams(t *testing.T) {
	u, err := ParseURL("did:example:1?service=files&relativeRef=%2Fresume.pdf%3Fv%3D2&versionTime=2021-05-10T17:00:00Z&x=1&x=2&hl=zQm&serviceType=LinkedDomains&versionId=7")
	if err != nil {
		t.Fatal(err)
	}
	p, err := u.Params()
	if err != nil {
		t.Fatal(err)
	}
	want := Params{Service: "files", ServiceType: "LinkedDomains", RelativeRef: "/resume.pdf?v=2", VersionID: "7",
		VersionTime: time.Date(2021, 5, 10, 17, 0, 0, 0, time.UTC), HL: "zQm", Other: []Param{{"x", "1"}, {"x", "2"}}}
	if p.Service != want.Service || p.ServiceType != want.ServiceType || p.RelativeRef != want.RelativeRef ||
		p.VersionID != want.VersionID || !p.VersionTime.Equal(want.VersionTime) || p.HL != want.HL ||
		len(p.Other) != 2 || p.Other[0] != want.Other[0] || p.Other[1] != want.Other[1] {
		t.Fatalf("got %+v", p)
	}
	// Encode gives a query that parses back to the same parameters.
	u2, err := ParseURL("did:example:1?" + p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := u2.Params()
	if p2.RelativeRef != p.RelativeRef || !p2.VersionTime.Equal(p.VersionTime) || len(p2.Other) != 2 {
		t.Fatalf("Encode round trip: %q gave %+v", p.Encode(), p2)
	}
	if got := (Params{RelativeRef: "/a b&c"}).Encode(); got != "relativeRef=%2Fa%20b%26c" {
		t.Fatalf("Encode = %q", got)
	}
}

func TestResolveReference(t *testing.T) {
	base := DID{Method: "example", ID: "123"}
	cases := []struct{ ref, want string }{
		{"#key-1", "did:example:123#key-1"},
		{"?service=files", "did:example:123?service=files"},
		{"/a/./b/../c?x#y", "did:example:123/a/c?x#y"},
		{"did:other:9#k", "did:other:9#k"},
	}
	for _, c := range cases {
		u, err := base.ResolveReference(c.ref)
		if err != nil || u.String() != c.want {
			t.Errorf("ResolveReference(%q) = %v, %v; want %s", c.ref, u, err, c.want)
		}
	}
	for _, ref := range []string{"", "key-1", "#a b", "https://example.com/"} {
		if _, err := base.ResolveReference(ref); !errors.Is(err, ErrInvalidDIDURL) {
			t.Errorf("ResolveReference(%q) = %v, want ErrInvalidDIDURL", ref, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"did:example:123", "did:web:a%3A1:b", "did:x::a", "did:x:a:", "did:X:1", "did:x:%4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidDID) {
				t.Fatalf("error %v does not wrap ErrInvalidDID", err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("String() = %q, input %q", d, s)
		}
		if d2, err := Parse(d.String()); err != nil || d2 != d {
			t.Fatalf("reparse: %v, %+v", err, d2)
		}
	})
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"did:example:123/p?service=a&relativeRef=%2Fx#k", "did:example:1?", "did:example:1#", "did:e:1?versionTime=2020-01-01T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidDIDURL) {
				t.Fatalf("error %v does not wrap ErrInvalidDIDURL", err)
			}
			return
		}
		if u.String() != s {
			t.Fatalf("String() = %q, input %q", u, s)
		}
		if u2, err := ParseURL(u.String()); err != nil || u2 != u {
			t.Fatalf("reparse: %v, %+v", err, u2)
		}
		if _, err := u.Params(); err != nil {
			t.Fatalf("Params after a successful parse: %v", err)
		}
	})
}
