// Package server assembles kakunin's HTTP server: one echo v5 instance with the
// middleware every role needs (request ids, structured logs, body limits, panics
// turned into problems, metrics, load shedding and per-client rate limits: see
// [ShedConfig] and [RateLimitConfig]), health endpoints and graceful shutdown.
// Roles (resolver, CA, issuer, audit log) add their routes through [Mounter],
// and their metrics on /metrics through [Collecting] or [Server.Registry].
//
// Call [New] with a [Config] and the roles to serve, then [Server.Run].
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// Mounter is implemented by every role that serves HTTP routes.
type Mounter interface {
	Mount(e *echo.Echo)
}

// Collecting is implemented by a role that exports its own metrics: [New]
// registers its collectors on the server's registry, served on /metrics.
type Collecting interface {
	Collectors() []prometheus.Collector
}

// MountFunc adapts a function to [Mounter].
type MountFunc func(e *echo.Echo)

// Mount calls f(e).
func (f MountFunc) Mount(e *echo.Echo) { f(e) }

// Check reports whether a dependency (database, HSM) is reachable; /readyz runs every check.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Config holds the server settings. The zero value is safe: it listens on
// 127.0.0.1:8080 with the default timeouts and limits below.
type Config struct {
	Addr              string        // listen address; default "127.0.0.1:8080"
	MaxBodyBytes      int64         // request body limit; default 1 MiB
	MaxHeaderBytes    int           // default 16 KiB
	ReadHeaderTimeout time.Duration // default 5s
	ReadTimeout       time.Duration // default 15s
	WriteTimeout      time.Duration // default 30s
	IdleTimeout       time.Duration // default 120s
	HandlerTimeout    time.Duration // context deadline for each request; default 20s
	ShutdownTimeout   time.Duration // graceful drain; default 15s
	Logger            *slog.Logger  // default slog.Default()
	Checks            []Check       // readiness checks
	// IPExtractor finds the client address of a request (for rate limits and
	// logs); default the connection's peer. Proxy headers such as X-Forwarded-For
	// are trusted only through an extractor that names the trusted proxies, e.g.
	// echo.ExtractIPFromXFFHeader(echo.TrustIPRange(proxies)).
	IPExtractor echo.IPExtractor
	Shed        ShedConfig      // concurrency limit with a short queue; health routes exempt
	RateLimit   RateLimitConfig // per-client token buckets; health routes exempt
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = 16 << 10
	}
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 15*time.Second)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.HandlerTimeout, 20*time.Second)
	def(&c.ShutdownTimeout, 15*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.IPExtractor == nil {
		c.IPExtractor = echo.ExtractIPDirect()
	}
	return c
}

// Server is an assembled HTTP server.
type Server struct {
	cfg     Config
	echo    *echo.Echo
	metrics *metrics
	shed    *shedder // nil when shedding is off
}

// New builds the server and mounts every role.
func New(cfg Config, roles ...Mounter) *Server {
	cfg = cfg.withDefaults()
	e := echo.NewWithConfig(echo.Config{
		Logger:           cfg.Logger,
		HTTPErrorHandler: problemHandler(cfg.Logger),
		IPExtractor:      cfg.IPExtractor,
	})
	metrics, shed := newMetrics(), newShedder(cfg.Shed)
	e.Use(
		middleware.RequestID(),
		requestLogger(cfg.Logger),
		middleware.Recover(),
		metrics.middleware(),
		newRateLimiter(cfg.RateLimit).middleware(),
		shed.middleware(),
		middleware.BodyLimit(cfg.MaxBodyBytes),
		middleware.ContextTimeout(cfg.HandlerTimeout),
	)
	mountHealth(e, cfg.Checks)
	if shed != nil && shed.cpu != nil {
		metrics.reg.MustRegister(shed.cpu.collector())
	}
	e.GET("/metrics", echo.WrapHandler(metrics.handler()))
	for _, r := range roles {
		r.Mount(e)
		if c, ok := r.(Collecting); ok {
			metrics.reg.MustRegister(c.Collectors()...)
		}
	}
	return &Server{cfg: cfg, echo: e, metrics: metrics, shed: shed}
}

// Handler returns the server's http.Handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Run listens on the configured address (or on ln when it is not nil) and serves
// until ctx is cancelled, then drains in-flight requests for ShutdownTimeout.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", s.cfg.Addr)
		if err != nil {
			return err
		}
	}
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
