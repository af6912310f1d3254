package claims

import "strings"

// Party reads an object {"id", "name"}: id is a required DID or URL of at most maxID
// characters, name an optional display name of at most maxName characters.
func Party(v any, path string, maxID, maxName int) (id, name string, err error) {
	o, err := AsObject(v, path, "id", "name")
	if err != nil {
		return "", "", err
	}
	if id, err = o.Str("id", true, maxID); err != nil {
		return "", "", err
	}
	if !IsAbsoluteURI(id) {
		return "", "", Malformed(At(path, "id"), nil, "must be a DID or URL")
	}
	name, err = o.Str("name", false, maxName)
	return id, name, err
}

// IsAbsoluteURI reports whether s is an RFC 3986 scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" /
// "." )), ":", then at least one visible ASCII character. It is the shape check that DIDs and
// URLs share, not a full RFC 3986 parse.
func IsAbsoluteURI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			return false
		}
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i < colon && !alpha && !(i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}
