package did

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidTime is wrapped by ParseTime errors.
var ErrInvalidTime = errors.New("did: invalid datetime")

const timeLayout = "2006-01-02T15:04:05Z"

// ParseTime parses a DID Resolution datetime: an XML Schema dateTime "adjusted to UTC
// without sub-second decimal precision" (DID Resolution § Datetime), that is exactly
// the form "2020-12-20T19:17:47Z". Offsets, fractions and lower-case letters are
// rejected so that every instant has one spelling.
func ParseTime(s string) (time.Time, error) {
	if len(s) != len(timeLayout) {
		return time.Time{}, fmt.Errorf("%w: %q is not of the form 2006-01-02T15:04:05Z", ErrInvalidTime, truncate(s))
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Format(timeLayout) != s {
		return time.Time{}, fmt.Errorf("%w: %q is not of the form 2006-01-02T15:04:05Z", ErrInvalidTime, truncate(s))
	}
	return t, nil
}

// FormatTime formats t as a DID Resolution datetime: UTC, whole seconds (truncated).
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
