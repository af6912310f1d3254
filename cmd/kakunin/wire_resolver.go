package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/jwk"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/did/web"
	didx509 "github.com/kakunin-dev/kakunin/did/x509"
	"github.com/kakunin-dev/kakunin/resolver"
	"github.com/kakunin-dev/kakunin/store"
)

// The resolver cache: bounded in entries and in age. An entry also ends at the
// nextUpdate of its document metadata (resolver.Cache), and every change of a DID
// through this process's CA drops it at once (service.invalidate), so a
// revocation here shows in the next resolution. A change made by another process
// sharing the store shows within --resolver-cache-ttl (default one minute).
const resolverCacheSize = 10_000

// newResolver registers the DID methods kakunin serves, behind a cache. did:kakunin
// reads the store's registry, and checks revocation against the CRLs recorded in
// the same store (the registry's own revocation flags take effect at once; see
// storeCRLs).
func newResolver(db store.DB, cfg serveConfig, now func() time.Time) (*resolver.Registry, error) {
	checker := revocation.New(revocation.Options{Now: now, CRLSource: storeCRLs{db}, DisableOCSP: true})
	opts := kakunin.ResolverOptions{Now: now, Revocation: checker, Registry: kakuninRegistry{db}}
	if cfg.hasRole("audit") {
		opts.Document.AuditLogURL = cfg.BaseURL + "/audit"
	}
	kr, err := kakunin.NewResolver(opts)
	if err != nil {
		return nil, err
	}
	reg := resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{
		Size: resolverCacheSize, MaxAge: cfg.CacheTTL, Now: now})))
	methods := []struct {
		name string
		res  did.Resolver
	}{
		{kakunin.Method, kr},
		{"key", key.Resolver{}},
		{"jwk", jwk.Resolver{}},
		{"web", web.New(web.Config{})},
		{"x509", didx509.Resolver{Now: now}},
	}
	for _, m := range methods {
		if err := reg.Register(m.name, m.res); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// invalidate is the CA's OnChange hook: it drops did from the resolver cache,
// and the DIDs linked to it (spec §7.3), whose documents depend on its state
// (alsoKnownAs lists a predecessor while it has a valid certificate).
func (s *service) invalidate(ctx context.Context, did string) {
	if s.resolver == nil {
		return
	}
	s.resolver.Invalidate(did)
	links, err := s.db.Links(ctx, did)
	if err != nil {
		s.log.Warn("resolver cache: linked DIDs not dropped", "did", did, "error", err)
	}
	for _, l := range links {
		s.resolver.Invalidate(l.Predecessor)
		s.resolver.Invalidate(l.Successor)
	}
}

// storeCRLs is the revocation checker's local CRL source: the CRL that the store
// records for the owner CA whose certificate is the issuer. It reads this
// process's registry directly, so resolution never calls the service over HTTP,
// and certificates of issuers the registry does not know get no answer (the
// checker then reports revocationUnknown, hard-fail).
type storeCRLs struct{ r store.Reader }

var _ revocation.CRLSource = storeCRLs{}

func (s storeCRLs) CRL(ctx context.Context, issuer *x509.Certificate) ([]byte, error) {
	mk, err := did.EncodeMultikey(issuer.PublicKey)
	if err != nil {
		return nil, err
	}
	owners, err := s.r.OwnersByKey(ctx, mk)
	if err != nil {
		return nil, err
	}
	for _, o := range owners {
		if bytes.Equal(o.CertDER, issuer.Raw) {
			crl, err := s.r.CRL(ctx, o.ID)
			if err != nil {
				return nil, err
			}
			return crl.DER, nil
		}
	}
	return nil, fmt.Errorf("%w: no owner CA with this certificate", store.ErrNotFound)
}
