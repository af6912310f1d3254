package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/ca/cahttp"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/resolver/resolverhttp"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// defaultTenant is the tenant of the bootstrap admin token and of the demo owner.
const defaultTenant = "default"

// service is everything `kakunin serve` runs, built from its configuration: the
// store, the CA with the owners whose keys this process holds, the resolver, the
// token authority, the audit log's checkpointer and, with the issuer role, the VC
// issuer. A revocation through the CA cascades (see cascade) to the resolver
// cache and to the credentials issued to the agent.
type service struct {
	cfg      serveConfig
	log      *slog.Logger
	now      func() time.Time
	db       store.DB
	ca       *ca.CA
	resolver *resolver.Registry
	auth     *auth.Authority
	audit    *audit.Checkpointer
	issuer   *issuer.Issuer // nil without the issuer role
	signers  []keys.Signer  // closed with the service
	metrics  *serviceMetrics
}

// openService opens the store and builds every part. The caller closes it.
func openService(ctx context.Context, cfg serveConfig, log *slog.Logger) (*service, error) {
	db, err := backend.Open(ctx, cfg.DB, backend.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &service{cfg: cfg, log: log, now: time.Now, db: db}
	s.metrics = newServiceMetrics(s)
	if err := s.build(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

func (s *service) build(ctx context.Context) error {
	tokens, ok := s.db.(auth.Store)
	if !ok {
		return fmt.Errorf("%w: the store keeps no API tokens", store.ErrSchema)
	}
	s.auth = auth.New(tokens, auth.Options{Now: s.now, Audit: s.db, Logger: s.log})
	var err error
	s.ca, err = ca.New(s.db, ca.Options{BaseURL: s.cfg.BaseURL, Now: s.now,
		MaxValidity: s.cfg.CertTTL, CRLValidity: s.cfg.CRLPeriod,
		OnRevoke: s.cascade, OnChange: s.invalidate})
	if err != nil {
		return err
	}
	if err := s.loadOwners(ctx); err != nil {
		return err
	}
	if s.resolver, err = newResolver(s.db, s.cfg, s.now); err != nil {
		return err
	}
	s.audit, err = s.checkpointer(ctx)
	return err
}

// Close gives the issuer's unused status-index reservations back, then releases
// the keys and the store. It is called once the server has stopped.
func (s *service) Close() error {
	var errs []error
	if s.issuer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := s.issuer.ReleaseReserved(ctx); err != nil {
			s.log.Error("issuer: releasing reserved status indexes", "error", err)
		}
		cancel()
	}
	for _, k := range s.signers {
		errs = append(errs, k.Close())
	}
	return errors.Join(append(errs, s.db.Close())...)
}

// checks are the readiness checks of /readyz.
func (s *service) checks() []server.Check {
	return []server.Check{{Name: "database", Func: func(ctx context.Context) error {
		_, err := s.db.Owner(ctx, "readyz-probe")
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}}}
}

// mounters returns the HTTP roles the configuration asks for. testIDs are the
// example DIDs of /1.0/testIdentifiers.
func (s *service) mounters(ctx context.Context, testIDs map[string][]string) ([]server.Mounter, error) {
	out := []server.Mounter{s.metrics, specDocuments(), auth.NewHandler(s.auth, s.db)}
	if s.cfg.hasRole("resolver") {
		out = append(out, resolverhttp.New(s.metrics.resolver.wrap(s.resolver), resolverhttp.Config{TestIdentifiers: testIDs, Now: s.now}))
	}
	if s.cfg.hasRole("ca") {
		idem, _ := s.db.(cahttp.IdempotencyStore)
		out = append(out, cahttp.New(s.ca, s.auth.CA(), cahttp.Options{Now: s.now, Logger: s.log, Idempotency: idem}))
	}
	if s.cfg.hasRole("audit") {
		h, err := audithttp.New(sqlAudit{s.db}, s.audit, audithttp.Config{Now: s.now})
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	if s.cfg.hasRole("issuer") {
		vc, err := s.issuerRole(ctx)
		if err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
		out = append(out, vc...)
	}
	return out, nil
}

// specDocuments serves the kakunin JSON-LD context and the credential schemas at
// the paths their stable URLs name (spec.Files).
func specDocuments() server.Mounter {
	return server.MountFunc(func(e *echo.Echo) {
		for _, f := range spec.Files() {
			e.GET(f.Path, func(c *echo.Context) error {
				c.Response().Header().Set("Cache-Control", "public, max-age=86400")
				c.Response().Header().Set("Access-Control-Allow-Origin", "*")
				return c.Blob(http.StatusOK, f.MediaType, f.Body)
			})
		}
	})
}

// logOrigin is the log's origin line: the base URL's host and path + "/audit".
func logOrigin(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("base URL %q: not an absolute URL", baseURL)
	}
	return u.Host + u.Path + "/audit", nil
}
