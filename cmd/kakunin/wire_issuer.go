package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// Without an `issuers` setting the service has one issuing identity: a did:key
// whose key is a file under the data directory, created at first start.
const (
	issuerKeyFile  = "issuer.key"
	issuerInstance = "default" // the instance served at the root
)

// issuerScopes are the action patterns (spec/credentials.md §4.1) the built-in
// issuer may grant in scope credentials: every resource action and MCP tool.
var issuerScopes = []string{"*:*", "mcp:*/*"}

// issuerRole builds the VC issuer of the configured instances and the verifier
// over the store and the resolver, records in the audit log the instances whose
// key changed, and returns the VC API routes.
func (s *service) issuerRole(ctx context.Context) ([]server.Mounter, error) {
	instances, err := s.issuerInstances(ctx)
	if err != nil {
		return nil, err
	}
	st, err := issuer.NewSQLStore(s.db)
	if err != nil {
		return nil, err
	}
	is, err := issuer.New(issuer.Config{Store: st, Resolver: s.resolver, Authorizer: ownerTenants{s.db},
		BaseURL: s.cfg.BaseURL, Now: s.now}, instances...)
	if err != nil {
		return nil, err
	}
	s.issuer = is
	recorded, err := recordIssuerKeys(ctx, s.db, is.Instances(), s.now())
	if err != nil {
		return nil, fmt.Errorf("recording issuer keys: %w", err)
	}
	for _, name := range recorded {
		s.log.Info("issuer key recorded in the audit log", "instance", name)
	}
	// The verifier reads this service's status lists from the store and others over
	// HTTPS (public addresses only), without a cache: a status change made here
	// shows in the next verification rather than after the list's ttl. It reads the
	// documents of this service's did:web instances directly, as they are served.
	suites, err := s.cfg.verifySuites() // checked when the configuration was read
	if err != nil {
		return nil, err
	}
	v, err := verifier.New(verifier.Config{Resolver: localDIDWeb{is: is, next: s.resolver},
		Status: is.Fetcher(&status.HTTPFetcher{}), StatusOptions: status.Options{CacheBytes: -1}, Now: s.now,
		JOSEAnyKeyType: true, Cryptosuites: suites})
	if err != nil {
		return nil, err
	}
	auth := instanceTenants{next: s.auth.VCAPI(), tenants: issuerTenants(s.cfg.Issuers.list())}
	h, err := vcapi.New(is, v, auth, vcapi.Options{MaxBody: s.cfg.MaxBody, BasePath: basePath(s.cfg.BaseURL), Now: s.now})
	if err != nil {
		return nil, err
	}
	return []server.Mounter{h}, nil
}

// issuerInstances opens the configured instances, or the built-in did:key one.
func (s *service) issuerInstances(ctx context.Context) ([]issuer.Instance, error) {
	if specs := s.cfg.Issuers.list(); specs != nil {
		instances, signers, err := openIssuers(ctx, specs, s.cfg.BaseURL, s.resolver)
		s.signers = append(s.signers, signers...)
		return instances, err
	}
	signer, err := openOrGenerate(ctx, filepath.Join(s.cfg.DataDir, issuerKeyFile), keys.Ed25519)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	s.signers = append(s.signers, signer)
	id, err := key.New(signer.Public())
	if err != nil {
		return nil, err
	}
	return []issuer.Instance{{Name: issuerInstance, DID: id.String(), VerificationMethod: id.String() + "#" + id.ID,
		Signer: signer, AllowedScopes: issuerScopes}}, nil
}

// basePath is the path of the base URL, which a reverse proxy strips.
func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
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

// cascade is the CA's OnRevoke hook: the agent of did had a certificate revoked
// (or its DID deactivated), so its cached resolutions are dropped and every
// credential this service issued to it is suspended (an owner may lift the
// suspension once the agent is re-enrolled) or, with --credential-cascade revoke,
// revoked. It runs after the CA's transaction has committed; a crash in between
// loses it, and reconcile applies it again. Failures are logged; reconcile
// retries them.
func (s *service) cascade(ctx context.Context, did string, reason ca.Reason) {
	s.applyCascade(ctx, did, reason, true)
}

// applyCascade suspends (or revokes) the credentials of did that are not yet so.
// The revocation hook applies it always: its transaction fences did, so that no
// issuance in flight escapes even when nothing is left to change. The periodic
// reconciliation applies it only when a credential of did, unexpired, still lacks
// the status (cascadePending): it repairs, and must not write for every agent ever
// revoked at every tick.
func (s *service) applyCascade(ctx context.Context, did string, reason ca.Reason, always bool) {
	s.invalidate(ctx, did)
	if s.issuer == nil {
		return // the process with the issuer role reconciles
	}
	purpose, err := s.cfg.cascadePurpose() // checked when the configuration was read
	if err != nil {
		s.log.Error("revocation cascade not applied", "did", did, "error", err)
		return
	}
	apply, done, doing := s.issuer.SuspendAllForDID, "credentials suspended", "suspending"
	if purpose == status.Revocation {
		apply, done, doing = s.issuer.RevokeAllForDID, "credentials revoked", "revoking"
	}
	pending := always
	if !always {
		pending, err = s.cascadePending(ctx, did, purpose)
	}
	if err == nil && pending {
		var n int
		if n, err = apply(ctx, did, "agent certificate revoked: "+ca.ReasonName(reason)); n > 0 {
			s.log.Info(done, "did", did, "count", n)
		}
	}
	if err != nil {
		s.log.Error(doing+" the credentials of a revoked agent failed; retried by the periodic reconciliation",
			"did", did, "error", err)
	}
}

// cascadePending reports whether the cascade of purpose has yet to change a
// credential issued to did (issuer.CascadePending).
func (s *service) cascadePending(ctx context.Context, did string, purpose status.Purpose) (bool, error) {
	creds, ok := s.db.(store.CredentialReader)
	bits, ok2 := s.db.(store.StatusReader)
	if !ok || !ok2 {
		return false, fmt.Errorf("%w: the store keeps no credentials", store.ErrSchema)
	}
	recs, err := creds.CredentialsBySubject(ctx, did)
	if err != nil {
		return false, err
	}
	now := s.now()
	for _, c := range recs {
		if pending, err := issuer.CascadePending(ctx, c, purpose, now, bits.Status); err != nil || pending {
			return pending, err
		}
	}
	return false, nil
}

// reconcile re-applies cascade to every agent the CA lists as revoked
// (ca.CA.Revocations), which repairs a cascade lost to a crash or a failure
// between the CA's commit and its hook. serve runs it at start and with every
// CRL refresh.
func (s *service) reconcile(ctx context.Context) error {
	revs, err := s.ca.Revocations(ctx)
	if err != nil {
		return err
	}
	for _, r := range revs {
		s.applyCascade(ctx, r.DID, r.Reason, false)
	}
	return nil
}
