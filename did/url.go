package did

import (
	"fmt"
	"strings"
)

// URL is a DID URL: a DID followed by an optional path, query and fragment (DID Core
// § DID URL Syntax). Path, Query and Fragment hold the text exactly as written,
// percent-encoding included, so String returns the parsed input unchanged.
type URL struct {
	DID DID
	// Path is empty or starts with "/" (RFC 3986 path-abempty).
	Path string
	// Query is the text after "?", without it. Params reads the DID parameters in it.
	Query string
	// Fragment is the text after "#", without it.
	Fragment string
	// ForceQuery and ForceFragment keep an empty "?" or "#" in String, as net/url does.
	ForceQuery, ForceFragment bool
}

// ParseURL parses a DID URL per DID Core:
//
//	did-url = did path-abempty [ "?" query ] [ "#" fragment ]
//
// with path-abempty, query and fragment as in RFC 3986. It also checks the DID
// parameters of the query (see Params). Errors wrap ErrInvalidDIDURL.
func ParseURL(s string) (URL, error) {
	d, i, err := scanDID(s, ErrInvalidDIDURL)
	if err != nil {
		return URL{}, err
	}
	u := URL{DID: d}
	end := strings.IndexAny(s[i:], "?#") + i
	if end < i {
		end = len(s)
	}
	if u.Path, err = uriPart(s, i, end, "/:@", "path"); err != nil {
		return URL{}, err
	}
	if u.Path != "" && u.Path[0] != '/' {
		return URL{}, syntaxError(ErrInvalidDIDURL, s, i, fmt.Sprintf("character %q not allowed in a DID", s[i]))
	}
	i = end
	if i < len(s) && s[i] == '?' {
		end = strings.IndexByte(s[i:], '#') + i
		if end < i {
			end = len(s)
		}
		if u.Query, err = uriPart(s, i+1, end, "/?:@", "query"); err != nil {
			return URL{}, err
		}
		u.ForceQuery = u.Query == ""
		i = end
	}
	if i < len(s) {
		if u.Fragment, err = uriPart(s, i+1, len(s), "/?:@", "fragment"); err != nil {
			return URL{}, err
		}
		u.ForceFragment = u.Fragment == ""
	}
	if _, err := u.Params(); err != nil {
		return URL{}, err
	}
	return u, nil
}

// uriPart checks that s[from:to] consists of RFC 3986 unreserved, pct-encoded and
// sub-delims characters and the extra characters given, and returns it.
func uriPart(s string, from, to int, extra, what string) (string, error) {
	for i := from; i < to; i++ {
		c := s[i]
		switch {
		case isAlphaDigit(c) || strings.IndexByte("-._~!$&'()*+,;=", c) >= 0 || strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if pctLen(s[:to], i) < 0 {
				return "", syntaxError(ErrInvalidDIDURL, s, i, "bad percent-encoding in "+what)
			}
			i += 2
		default:
			return "", syntaxError(ErrInvalidDIDURL, s, i, fmt.Sprintf("character %q not allowed in %s", c, what))
		}
	}
	return s[from:to], nil
}

// String returns the DID URL as text.
func (u URL) String() string {
	var b strings.Builder
	b.Grow(len("did::") + len(u.DID.Method) + len(u.DID.ID) + len(u.Path) + len(u.Query) + len(u.Fragment) + 2)
	b.WriteString(u.DID.String())
	b.WriteString(u.Path)
	if u.Query != "" || u.ForceQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.Fragment != "" || u.ForceFragment {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// IsDID reports whether u has no path, query or fragment, that is, whether it is a
// plain DID.
func (u URL) IsDID() bool {
	return u.Path == "" && u.Query == "" && u.Fragment == "" && !u.ForceQuery && !u.ForceFragment
}

// ResolveReference resolves ref, a DID URL or a relative DID URL such as "#key-1", with
// d as the base, per DID Core § Relative DID URLs: RFC 3986 § 5 reference resolution
// where the authority is "method:method-specific-id". It accepts absolute DID URLs,
// and relative references starting with "#", "?" or "/"; other relative paths are
// rejected as ambiguous. Errors wrap ErrInvalidDIDURL.
func (d DID) ResolveReference(ref string) (URL, error) {
	if strings.HasPrefix(ref, "did:") {
		return ParseURL(ref)
	}
	if ref == "" || !strings.ContainsRune("#?/", rune(ref[0])) {
		return URL{}, syntaxError(ErrInvalidDIDURL, ref, 0, `relative DID URL must start with "#", "?" or "/"`)
	}
	if strings.HasPrefix(ref, "/") {
		ref = removeDotSegments(ref)
	}
	return ParseURL(d.String() + ref)
}

// removeDotSegments applies RFC 3986 § 5.2.4 to the path of ref (up to "?" or "#").
func removeDotSegments(ref string) string {
	end := strings.IndexAny(ref, "?#")
	if end < 0 {
		end = len(ref)
	}
	path, rest := ref[:end], ref[end:]
	if !strings.Contains(path, ".") {
		return ref
	}
	var out []string
	segs := strings.Split(path[1:], "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		switch seg {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/") + rest
}
