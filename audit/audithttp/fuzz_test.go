package audithttp_test

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit/audithttp"
)

func FuzzParseIndex(f *testing.F) {
	for _, s := range []string{"0", "7", "01", "-1", "+1", "9223372036854775807", "9223372036854775808", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := audithttp.ParseIndex(s)
		if err != nil {
			return
		}
		if strconv.FormatUint(n, 10) != s || n >= 1<<63 {
			t.Fatalf("ParseIndex(%q) = %d", s, n)
		}
	})
}

func FuzzParseLeafHash(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add(strings.Repeat("A", 43))
	f.Add(strings.Repeat("_", 42) + "8")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := audithttp.ParseLeafHash(s)
		if err != nil {
			return
		}
		if hex.EncodeToString(h[:]) != strings.ToLower(s) && base64.RawURLEncoding.EncodeToString(h[:]) != s {
			t.Fatalf("ParseLeafHash(%q) = %x does not round-trip", s, h)
		}
	})
}
