package kakunin

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// ErrResolverOptions is returned by NewResolver for a configuration it cannot run
// with.
var ErrResolverOptions = errors.New("kakunin: invalid resolver options")

// DefaultMaxCertificates bounds how many unexpired certificates one resolution
// validates (spec §12, denial of service).
const DefaultMaxCertificates = 100

// ResolverOptions configure a Resolver. Now and Revocation are required; the zero
// value of every other field is safe.
type ResolverOptions struct {
	// Now is the clock: the resolution time of the current version.
	Now func() time.Time
	// Revocation checks agent certificates of the current version (spec §7.2 step 3).
	// Checking is hard-fail: a certificate whose status it cannot establish is
	// excluded and the metadata says why.
	Revocation RevocationChecker
	// Registry is where certificates and history come from. Nil makes a registry-less
	// resolver that resolves only with the x509Chain option.
	Registry Registry
	// Verify holds the chain validation options (trust roots, chain length, validity
	// cap); its CurrentTime is ignored and set to the resolution time.
	Verify VerifyOptions
	// Document holds the endpoints of the audit-log and credentials services.
	Document DocumentOptions
	// MaxCertificates bounds the unexpired certificates validated per resolution;
	// those beyond it are excluded with reason "limit". Zero means
	// DefaultMaxCertificates.
	MaxCertificates int
}

// Resolver resolves did:kakunin DIDs (spec §7.2, §10) and dereferences their DID URL
// paths (§11). It implements did.Resolver and is safe for concurrent use.
type Resolver struct {
	opts ResolverOptions
}

var _ did.Resolver = (*Resolver)(nil)

// NewResolver returns a resolver. Errors wrap ErrResolverOptions.
func NewResolver(opts ResolverOptions) (*Resolver, error) {
	switch {
	case opts.Now == nil:
		return nil, fmt.Errorf("%w: Now is required", ErrResolverOptions)
	case opts.Revocation == nil:
		return nil, fmt.Errorf("%w: Revocation is required", ErrResolverOptions)
	case opts.MaxCertificates < 0:
		return nil, fmt.Errorf("%w: negative MaxCertificates", ErrResolverOptions)
	}
	if opts.MaxCertificates == 0 {
		opts.MaxCertificates = DefaultMaxCertificates
	}
	return &Resolver{opts: opts}, nil
}

// MethodOptions names the method-specific resolution option Resolve reads.
func (r *Resolver) MethodOptions() []string { return []string{OptionX509Chain} }

// Resolve resolves a did:kakunin DID (spec §7.2). The x509Chain method option (spec
// §10.1) resolves from a chain instead of the registry; VersionID and VersionTime
// select a past version (§10.3). Errors wrap a did.ErrorKind (or are the context's
// error) and come with did.ErrorResult, except that a deactivated DID gives did.ErrDeactivated with its
// full result: a document without verification methods and metadata with
// deactivated true.
func (r *Resolver) Resolve(ctx context.Context, input string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := r.resolve(ctx, input, opts)
	if err != nil && !errors.Is(err, did.ErrDeactivated) {
		return did.ErrorResult(err), err
	}
	return res, err
}

func (r *Resolver) resolve(ctx context.Context, input string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	id, err := parseInput(input)
	if err != nil {
		return nil, err
	}
	mediaType, err := did.NegotiateRepresentation(opts.Accept)
	if err != nil {
		return nil, err
	}
	st, err := r.state(ctx, input, id, opts)
	if err != nil {
		return nil, err
	}
	return st.result(id, mediaType, r.opts.Document)
}

// parseInput bounds and parses the DID; Parse errors already wrap did.ErrInvalidDID.
func parseInput(input string) (ID, error) {
	if len(input) > MaxIDLength {
		return ID{}, fmt.Errorf("%w: %d bytes, more than %d", did.ErrInvalidDID, len(input), MaxIDLength)
	}
	return Parse(input)
}

// state runs resolution from the x509Chain option or from the registry, and notes
// the canonical DID when input was not canonical.
func (r *Resolver) state(ctx context.Context, input string, id ID, opts did.ResolutionOptions) (*resolution, error) {
	st, err := r.source(ctx, id, opts)
	if err == nil && input != id.String() {
		st.meta.CanonicalID = id.String()
	}
	return st, err
}

func (r *Resolver) source(ctx context.Context, id ID, opts did.ResolutionOptions) (*resolution, error) {
	if opts.VersionID != "" && !opts.VersionTime.IsZero() {
		return nil, fmt.Errorf("%w: versionId and versionTime are mutually exclusive", did.ErrInvalidOptions)
	}
	chain, err := chainOption(opts.Method)
	if err != nil {
		return nil, err
	}
	if chain != nil {
		if opts.VersionID != "" || !opts.VersionTime.IsZero() {
			return nil, fmt.Errorf("%w: history needs the registry, not x509Chain", did.ErrFeatureNotSupported)
		}
		return r.chainState(ctx, id, chain)
	}
	if r.opts.Registry == nil {
		return nil, fmt.Errorf("%w: no x509Chain given and no registry configured", did.ErrNotFound)
	}
	return r.registryState(ctx, id, opts)
}

// chainState resolves from a chain passed with the request (spec §10.1): a chain
// that fails §8 is INVALID_OPTIONS; a revoked one or one of unknown status leaves an
// empty document whose metadata says why.
func (r *Resolver) chainState(ctx context.Context, id ID, chain []*x509.Certificate) (*resolution, error) {
	now := r.opts.Now()
	st := newResolution(now)
	v, err := VerifyChain(chain, id, r.verifyOptions(now))
	if err != nil {
		return nil, fmt.Errorf("%w: x509Chain: %w", did.ErrInvalidOptions, err)
	}
	r.checkRevocation(ctx, st, v)
	st.ownerCA, st.trust = v.OwnerCA(), v.TrustRoot
	st.meta.Created, st.meta.Updated = v.Leaf().NotBefore, v.Leaf().NotBefore
	return st, nil
}

func (r *Resolver) verifyOptions(at time.Time) VerifyOptions {
	o := r.opts.Verify
	o.CurrentTime = at
	return o
}
