package dataintegrity

import (
	"errors"
	"strings"
	"time"
)

var errDateTime = errors.New("not an XML Schema dateTimeStamp")

// parseDateTimeStamp parses an XML Schema 1.1 dateTimeStamp, the form Data
// Integrity § 2.1 requires of created and expires ("formatted as an
// [XMLSCHEMA11-2] dateTimeStamp string"): a dateTime with a mandatory
// timezone, such as 2023-02-24T23:36:38Z or 2023-02-24T23:36:38.5+01:00.
func parseDateTimeStamp(s string) (time.Time, error) {
	if len(s) < len("2006-01-02T15:04:05Z") || len(s) > 40 || s[10] != 'T' {
		return time.Time{}, errDateTime
	}
	// XML Schema allows 24:00:00 for the end of a day; RFC 3339 does not.
	if strings.HasPrefix(s[11:], "24:00:00") {
		t, err := time.Parse(time.RFC3339Nano, s[:11]+"00"+s[13:])
		if err != nil || t.Nanosecond() != 0 {
			return time.Time{}, errDateTime
		}
		return t.Add(24 * time.Hour), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errDateTime
	}
	return t, nil
}

// formatDateTimeStamp writes t in UTC, to the second, as the vectors do.
func formatDateTimeStamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
