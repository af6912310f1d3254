package server

import (
	"crypto/sha256"
	"math"
	"net/http"
	"net/netip"
	"time"

	"github.com/labstack/echo/v5"
)

// ErrRateLimited is the problem of a request refused because its client spent its
// budget: 429 with Retry-After. RFC 6585 §4: 429 "indicates that the user has sent
// too many requests in a given amount of time"; "the response representations
// SHOULD include details explaining the condition, and MAY include a Retry-After
// header indicating how long to wait before making a new request".
// It is shared by every request: compare it with errors.Is and never modify it.
var ErrRateLimited = &Problem{Type: "about:blank", Title: "Too Many Requests", Status: 429,
	Detail: "request rate limit exceeded; retry after the Retry-After delay"}

// Budget is a token bucket: a client may send Burst requests at once and then
// PerSecond requests a second. The zero value (and any PerSecond ≤ 0) sets no
// limit; Burst defaults to PerSecond rounded up.
type Budget struct {
	PerSecond float64
	Burst     int
}

// Unlimited is a Budget that never refuses a request.
var Unlimited = Budget{}

// PublicRateLimits are budgets suited to an endpoint open to the Internet: 100
// reads a second with bursts of 200, and 10 writes a second with bursts of 20, per
// client.
var PublicRateLimits = RateLimitConfig{
	Read:  Budget{PerSecond: 100, Burst: 200},
	Write: Budget{PerSecond: 10, Burst: 20},
}

func (b Budget) withDefaults() Budget {
	if b.Burst <= 0 {
		b.Burst = max(int(math.Ceil(b.PerSecond)), 1)
	}
	return b
}

func (b Budget) unlimited() bool { return !(b.PerSecond > 0) }

// maxKeyBytes bounds the client keys kept in memory; longer keys are replaced by
// their SHA-256.
const maxKeyBytes = 64

// RateLimitConfig sets per-client request budgets. The zero value limits
// nothing (server.New behaves as it did before rate limits existed); a server
// open to the Internet should start from [PublicRateLimits].
type RateLimitConfig struct {
	// Read is the budget of safe methods (GET, HEAD, OPTIONS, TRACE: RFC 9110
	// §9.2.1).
	Read Budget
	// Write is the budget of every other method.
	Write Budget
	// ReadOnlyPOST reports whether a POST request only reads (an OCSP request, a
	// credential verification), so that it counts against the Read budget; nil
	// means no POST does.
	ReadOnlyPOST func(c *echo.Context) bool
	// MaxClients bounds the clients tracked per budget; the least recently seen is
	// forgotten first. Default 16384.
	MaxClients int
	// Key names the client of a request; default ClientIP. Requests with the same
	// key share a budget. Keys longer than 64 bytes are hashed.
	Key func(c *echo.Context) string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (c RateLimitConfig) withDefaults() RateLimitConfig {
	c.Read, c.Write = c.Read.withDefaults(), c.Write.withDefaults()
	if c.MaxClients <= 0 {
		c.MaxClients = 16384
	}
	if c.Key == nil {
		c.Key = ClientIP
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// ClientIP is the default rate-limit key: the client address that echo's
// IPExtractor reports (the connection's peer unless Config.IPExtractor trusts a
// proxy header), with IPv6 addresses cut to their /64, the usual size of one
// subscriber's network, so that a client cannot escape its budget by rotating
// addresses inside its own prefix.
func ClientIP(c *echo.Context) string {
	ip := c.RealIP()
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// rateLimiter keeps one token bucket per client and budget.
type rateLimiter struct {
	read, write  *bucketStore
	key          func(c *echo.Context) string
	now          func() time.Time
	readOnlyPOST func(c *echo.Context) bool
}

func newRateLimiter(cfg RateLimitConfig) *rateLimiter {
	cfg = cfg.withDefaults()
	if cfg.Read.unlimited() && cfg.Write.unlimited() {
		return nil
	}
	l := &rateLimiter{key: cfg.Key, now: cfg.Now, readOnlyPOST: cfg.ReadOnlyPOST}
	if !cfg.Read.unlimited() {
		l.read = newBucketStore(cfg.Read, cfg.MaxClients)
	}
	if !cfg.Write.unlimited() {
		l.write = newBucketStore(cfg.Write, cfg.MaxClients)
	}
	return l
}

// store returns the budget of a request, nil when it is unlimited.
func (l *rateLimiter) store(c *echo.Context) *bucketStore {
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return l.read
	case http.MethodPost:
		if l.readOnlyPOST != nil && l.readOnlyPOST(c) {
			return l.read
		}
	}
	return l.write
}

func (l *rateLimiter) middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if l == nil {
			return next
		}
		return func(c *echo.Context) error {
			st := l.store(c)
			if st == nil || exempt(c) {
				return next(c)
			}
			if ok, wait := st.take(clientKey(l.key(c)), l.now()); !ok {
				c.Response().Header().Set("Retry-After", retryAfterSeconds(wait))
				return ErrRateLimited
			}
			return next(c)
		}
	}
}

// clientKey bounds the memory one key takes.
func clientKey(k string) string {
	if len(k) <= maxKeyBytes {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return string(sum[:])
}
