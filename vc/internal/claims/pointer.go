package claims

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/vc"
)

// Malformed reports a MALFORMED_VALUE_ERROR at the JSON Pointer path, wrapping cause if any.
func Malformed(path string, cause error, format string, args ...any) error {
	return &vc.Error{Type: vc.MalformedValueError, Path: path, Detail: fmt.Sprintf(format, args...), Err: cause}
}

// pointerEscaper escapes a reference token: RFC 6901 §3, "'~' needs to be encoded as '~0' and
// '/' needs to be encoded as '~1'" (in that order, so "~1" in a name becomes "~01").
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// At returns the JSON Pointer of a member (a string token) or an array item (an int token)
// of the value at path.
func At[T string | int](path string, token T) string {
	switch t := any(token).(type) {
	case int:
		return path + "/" + strconv.Itoa(t)
	default:
		return path + "/" + pointerEscaper.Replace(t.(string))
	}
}

// Quote quotes s for an error message, cut to 64 bytes so that a long input cannot swell it.
func Quote(s string) string {
	const limit = 64
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return strconv.Quote(s)
}
