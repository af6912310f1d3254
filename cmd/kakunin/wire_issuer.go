package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// The service's own issuing identity: a did:key whose key is a file under the
// data directory, created at first start.
const (
	issuerKeyFile  = "issuer.key"
	issuerInstance = "default"
)

// issuerScopes are the action patterns (spec/credentials.md §4.1) the service's
// issuer may grant in scope credentials: every resource action and MCP tool.
var issuerScopes = []string{"*:*", "mcp:*/*"}

// issuerRole builds the VC issuer and verifier over the store and the resolver
// and returns the VC API routes.
func (s *service) issuerRole(ctx context.Context) ([]server.Mounter, error) {
	signer, err := openOrGenerate(ctx, filepath.Join(s.cfg.DataDir, issuerKeyFile), keys.Ed25519)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	s.signers = append(s.signers, signer)
	id, err := key.New(signer.Public())
	if err != nil {
		return nil, err
	}
	st, err := issuer.NewSQLStore(s.db)
	if err != nil {
		return nil, err
	}
	did := id.String()
	is, err := issuer.New(issuer.Config{Store: st, Resolver: s.resolver, Authorizer: ownerTenants{s.db},
		BaseURL: s.cfg.BaseURL, Now: s.now},
		issuer.Instance{Name: issuerInstance, DID: did, VerificationMethod: did + "#" + strings.TrimPrefix(did, "did:key:"),
			Signer: signer, AllowedScopes: issuerScopes})
	if err != nil {
		return nil, err
	}
	// The verifier reads this service's status lists from the store and others over
	// HTTPS (public addresses only), without a cache: a status change made here
	// shows in the next verification rather than after the list's ttl.
	v, err := verifier.New(verifier.Config{Resolver: s.resolver, Status: is.Fetcher(&status.HTTPFetcher{}),
		StatusOptions: status.Options{CacheBytes: -1}, Now: s.now, JOSEAnyKeyType: true})
	if err != nil {
		return nil, err
	}
	h, err := vcapi.New(is, v, s.auth.VCAPI(), vcapi.Options{MaxBody: s.cfg.MaxBody})
	if err != nil {
		return nil, err
	}
	return []server.Mounter{h}, nil
}

// ownerTenants lets a caller issue for a did:kakunin subject when its tenant
// controls an owner CA holding the subject's owner key (or one open to any
// tenant).
type ownerTenants struct{ r store.Reader }

var _ issuer.Authorizer = ownerTenants{}

func (o ownerTenants) AuthorizeOwner(ctx context.Context, caller issuer.Caller, ownerMultikey string) error {
	owners, err := o.r.OwnersByKey(ctx, ownerMultikey)
	if err != nil {
		return err
	}
	for _, ow := range owners {
		if caller.Operator || ow.TenantID == "" || ow.TenantID == caller.Tenant {
			return nil
		}
	}
	return fmt.Errorf("tenant %q controls no owner with key %s", caller.Tenant, ownerMultikey)
}
