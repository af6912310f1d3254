package server

import (
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
)

// FuzzRateLimitKey feeds arbitrary peer addresses and X-Forwarded-For headers
// (trusted, the most exposed configuration) through key derivation and a bucket:
// no panic, and the key kept in memory never exceeds maxKeyBytes.
func FuzzRateLimitKey(f *testing.F) {
	f.Add("192.0.2.1:1", "203.0.113.9")
	f.Add("[2001:db8::1]:443", "2001:db8:1:2:3:4:5:6, 10.0.0.1")
	f.Add("garbage", "[::ffff:1.2.3.4]")
	e := echo.New()
	e.IPExtractor = echo.ExtractIPFromXFFHeader(echo.TrustLoopback(true), echo.TrustPrivateNet(true),
		echo.TrustLinkLocal(true))
	st := newBucketStore(Budget{PerSecond: 1, Burst: 1}, 64)
	clk := newFakeClock()
	f.Fuzz(func(t *testing.T, remote, xff string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		key := clientKey(ClientIP(e.NewContext(req, httptest.NewRecorder())))
		if len(key) > maxKeyBytes {
			t.Fatalf("key of %d bytes", len(key))
		}
		st.take(key, clk.Now())
		if n := st.len(); n > 64 {
			t.Fatalf("%d clients tracked", n)
		}
	})
}
