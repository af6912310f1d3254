package status

import (
	"net/url"
	"strconv"
	"time"
)

// TimestampParam is the query parameter of a point-in-time dereference (§3.2: "the name of the
// query parameter MUST be timestamp and the value MUST be a valid URL-encoded [XMLSCHEMA11-2]
// dateTimeStamp string value").
const TimestampParam = "timestamp"

// AtTime returns listURL asking for the list as it was at t, for a server that offers the
// point-in-time dereference of §3.2. It fails with an [*Error] of type MalformedValueError when
// listURL is not an absolute URL.
func AtTime(listURL string, t time.Time) (string, error) {
	u, err := url.Parse(listURL)
	if err != nil || !isURL(listURL) {
		return "", malformedAt("", "the status list URL must be an absolute URL")
	}
	q := u.Query()
	q.Set(TimestampParam, t.UTC().Format(time.RFC3339Nano))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// RequestedTime reads the timestamp parameter of a request for a list: ok is false when it is
// absent. The value must be an RFC 3339 date-time with a time zone, the profile of dateTimeStamp
// that AtTime writes. It fails with an [*Error] of type MalformedValueError on a repeated or
// unreadable value; the server answers a time it cannot serve with a STATUS_RETRIEVAL_ERROR.
func RequestedTime(query url.Values) (t time.Time, ok bool, err error) {
	values, present := query[TimestampParam]
	switch {
	case !present:
		return time.Time{}, false, nil
	case len(values) != 1:
		return time.Time{}, false, malformedAt("", "the timestamp parameter is repeated")
	}
	t, err = time.Parse(time.RFC3339Nano, values[0])
	if err != nil {
		return time.Time{}, false, malformedAt("", "the timestamp parameter must be a dateTimeStamp such as 2026-01-02T03:04:05Z")
	}
	return t, true, nil
}

// CacheControl returns the Cache-Control value with which a server publishes a list of the
// given ttl (§2.2: publishers "SHOULD align any protocol-specific caching information, such as
// the HTTP Cache-Control header, with the value in this field"). Lists are public; a ttl below
// one second, or none, asks caches to revalidate.
func CacheControl(ttl time.Duration) string {
	if ttl < time.Second {
		return "public, no-cache"
	}
	return "public, max-age=" + strconv.FormatInt(int64(ttl/time.Second), 10)
}
