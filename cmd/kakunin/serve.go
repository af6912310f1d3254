package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
)

// runServe is `kakunin serve`: every configured role in one process, until the
// context ends (SIGINT or SIGTERM), then a graceful drain.
func runServe(ctx context.Context, env *cliEnv, args []string) error {
	cfg, err := loadServeConfig(env, args)
	if err != nil {
		return err
	}
	log, err := newLogger(env.stderr, cfg.LogLevel)
	if err != nil {
		return err
	}
	log.Info("garbage collector", "GOGC", server.TuneGC(env.getenv),
		"containerMemoryLimit", server.TuneMemory(env.getenv, os.ReadFile))
	ln, cfg, err := listen(cfg, env.stdout)
	if err != nil {
		return err
	}
	defer ln.Close()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	svc, err := openService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Close()
	return svc.serve(ctx, env.stdout, ln)
}

// serve bootstraps the admin token and the demo, then serves on ln.
func (s *service) serve(ctx context.Context, out io.Writer, ln net.Listener) error {
	if err := s.ca.RefreshCRLs(ctx); err != nil {
		return fmt.Errorf("refresh CRLs: %w", err)
	}
	if err := s.announceToken(ctx, out); err != nil {
		return err
	}
	testIDs := map[string][]string{}
	if s.cfg.Demo {
		d, err := s.ensureDemo(ctx)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		d.print(out, s.cfg)
		testIDs = d.testIdentifiers()
	}
	roles, err := s.mounters(ctx, testIDs)
	if err != nil {
		return err
	}
	if err := s.reconcile(ctx); err != nil {
		return fmt.Errorf("revocation cascade: %w", err)
	}
	srv := server.New(server.Config{Addr: s.cfg.Addr, MaxBodyBytes: s.cfg.MaxBody, Logger: s.log, Checks: s.checks(),
		RateLimit: rateLimits()}, roles...)
	go s.refreshCRLs(ctx)
	fmt.Fprintf(out, "kakunin: serving %s on %s\n", strings.Join(s.cfg.roles(), ","), s.cfg.BaseURL)
	s.log.Info("serving", "url", s.cfg.BaseURL, "roles", s.cfg.Roles)
	err = srv.Run(ctx, ln)
	// Refusals over the audit flood bound are counted in memory: log their summary.
	flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if ferr := s.auth.FlushRefusals(flushCtx); ferr != nil {
		s.log.Error("audit: flushing refusal summary", "error", ferr)
	}
	return err
}

// rateLimits are the public budgets, with the POST routes that only read (OCSP
// requests, verification, DID resolution by POST) counted against the read budget.
func rateLimits() server.RateLimitConfig {
	cfg := server.PublicRateLimits
	cfg.ReadOnlyPOST = func(c *echo.Context) bool {
		p := c.Path()
		return strings.HasSuffix(p, "/ocsp") || strings.HasSuffix(p, "/verify") || p == "/credentials/verify/scope" ||
			p == "/1.0/identifiers/*"
	}
	return cfg
}

// announceToken creates the bootstrap admin token at first start and prints it
// once; only its hash is stored.
func (s *service) announceToken(ctx context.Context, out io.Writer) error {
	text, created, err := auth.Bootstrap(ctx, s.db, rand.Reader, defaultTenant, s.now())
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintln(out, "kakunin: admin token: issued at first start (only its hash is stored)")
		return nil
	}
	fmt.Fprintf(out, "kakunin: admin token for tenant %q, shown once (only its hash is stored):\n\n  export KAKUNIN_TOKEN=%s\n\n", defaultTenant, text)
	return nil
}

// refreshCRLs runs the periodic work every quarter CRL period until ctx ends: it
// reissues CRLs before they reach half their validity, re-applies the revocation
// cascade (reconcile), purges expired idempotency keys and signs an audit checkpoint.
func (s *service) refreshCRLs(ctx context.Context) {
	t := time.NewTicker(s.cfg.CRLPeriod / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.ca.RefreshCRLs(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("CRL refresh failed", "error", err)
			}
			if err := s.reconcile(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("revocation cascade failed", "error", err)
			}
			s.purgeIdempotencyKeys(ctx)
			s.signCheckpoint(ctx)
		}
	}
}

// signCheckpoint publishes a new signed checkpoint of the audit log when the tree has
// grown, so checkpoints appear regularly and not only when someone asks for one.
// The Checkpointer never signs a smaller or inconsistent tree.
func (s *service) signCheckpoint(ctx context.Context) {
	if s.audit == nil {
		return
	}
	err := sqlAudit{s.db}.Update(ctx, func(cs audit.CheckpointStore) error {
		_, err := s.audit.Sign(ctx, cs)
		return err
	})
	if err != nil && ctx.Err() == nil {
		s.log.Error("audit: signing a checkpoint", "error", err)
	}
}

// purgeIdempotencyKeys deletes expired Idempotency-Key records, a bounded batch per tick.
func (s *service) purgeIdempotencyKeys(ctx context.Context) {
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		itx, ok := tx.(store.IdempotencyTx)
		if !ok {
			return nil
		}
		_, err := itx.PurgeIdempotent(ctx, s.now(), 10_000)
		return err
	})
	if err != nil && ctx.Err() == nil {
		s.log.Error("idempotency key purge failed", "error", err)
	}
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: debug, info, warn or error", level)}
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// listen opens the listening socket (TLS when configured). With port 0 and a base
// URL derived from the address, the base URL takes the port actually bound.
func listen(cfg serveConfig, out io.Writer) (net.Listener, serveConfig, error) {
	tc, err := tlsConfig(cfg, out)
	if err != nil {
		return nil, cfg, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, cfg, err
	}
	scheme := "http"
	if tc != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tc)
	}
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" && cfg.BaseURL == scheme+"://"+cfg.Addr {
		cfg.Addr = ln.Addr().String()
		cfg.BaseURL = scheme + "://" + cfg.Addr
	}
	return ln, cfg, nil
}
