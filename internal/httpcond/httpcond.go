// Package httpcond evaluates the conditional request headers of RFC 9110 § 13 that the
// service's cacheable GET and HEAD routes honour.
package httpcond

import "strings"

// NoneMatch reports whether an If-None-Match header value matches etag, by the weak
// comparison RFC 9110 § 13.1.2 requires for it, "*" matching any current representation:
// when it does, a GET or HEAD answers 304 Not Modified.
func NoneMatch(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
