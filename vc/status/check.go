package status

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// Result is the outcome of one BitstringStatusListEntry: the result map of §3.2 ("Set the
// status key in result to status, and set the purpose key in result to the value of
// statusPurpose. If status is 0, set the valid key in result to true; otherwise, set it to
// false. If the statusPurpose is message, set the message key …").
type Result struct {
	Position int    // the entry's position in credentialStatus
	Entry    Entry  // the entry, with its purpose
	Status   uint64 // the entry's value in the list
	Valid    bool   // Status == 0: not revoked, not suspended, no refresh pending
	Message  string // the entry's message for Status (see Entry.Message)
}

// Defaults of [Options].
const (
	DefaultCacheTTL    = 5 * time.Minute
	DefaultMaxCacheTTL = 24 * time.Hour
	DefaultCacheBytes  = 64 << 20
	DefaultMaxEntries  = 16
)

// Options tune a [Checker]. The zero value is safe and follows the Recommendation.
type Options struct {
	// Now is the clock for validity periods and the cache; nil means time.Now.
	Now func() time.Time
	// MinEntries is minimumNumberOfEntries; zero means MinEntries (131,072). An ecosystem
	// specification may set another lower bound (§3.2).
	MinEntries int
	// Decode bounds the expanded lists.
	Decode DecodeOptions
	// TrustListIssuer decides whether a list issued by listIssuer may carry the status of a
	// credential issued by credentialIssuer. nil accepts the credential's own issuer only.
	// §2.2 lets the issuers differ, and the note of §3.2 leaves the trust in both to the
	// verifier: without this rule anyone able to serve the list URL could vouch for it.
	TrustListIssuer func(credentialIssuer, listIssuer string) bool
	// AllowListIDMismatch accepts a list credential whose id is not the statusListCredential
	// URL it was fetched from. By default such a list is refused, so that another list of the
	// same issuer cannot be substituted for it.
	AllowListIDMismatch bool
	// CacheTTL is how long a list without ttl is cached; zero means DefaultCacheTTL.
	// MaxCacheTTL caps any list's ttl; zero means DefaultMaxCacheTTL. A list is never cached
	// past its validUntil, and a ttl of 0 is not cached.
	CacheTTL, MaxCacheTTL time.Duration
	// CacheBytes bounds the expanded lists kept; zero means DefaultCacheBytes, negative
	// disables the cache.
	CacheBytes int
	// MaxEntries bounds the credentialStatus entries of one credential, each of which may
	// cost a retrieval; zero means DefaultMaxEntries.
	MaxEntries int
	// ProofMemoTTL is how long a list credential whose exact bytes (by SHA-256) verified is
	// trusted when it is fetched again, so that its proofs are not verified and its list not
	// expanded again; zero means DefaultProofMemoTTL, negative verifies every fetch. Only
	// the same bytes hit, so a status change, which changes the bytes, shows at once even
	// without the cache; a change of the list issuer's keys shows after at most this long.
	ProofMemoTTL time.Duration
}

// Checker checks the status of credentials, caching verified lists. It is safe for concurrent
// use; concurrent checks that miss the cache for the same list share one retrieval.
type Checker struct {
	fetch   Fetcher
	verify  CredentialVerifier
	opts    Options
	cache   *listCache
	memo    *proofMemo
	flights flights
}

// NewChecker returns a Checker that retrieves lists with fetch and verifies their proofs with
// verify.
func NewChecker(fetch Fetcher, verify CredentialVerifier, opts Options) *Checker {
	c := &Checker{fetch: fetch, verify: verify, opts: opts, memo: newProofMemo(opts.ProofMemoTTL)}
	if opts.CacheBytes >= 0 {
		c.cache = newListCache(orDefault(opts.CacheBytes, DefaultCacheBytes))
	}
	return c
}

// Check checks every credentialStatus entry of cred once, without a cache, at time now. See
// [Checker.Check].
func Check(ctx context.Context, cred *vc.Credential, fetch Fetcher, verify CredentialVerifier, now time.Time) ([]Result, error) {
	opts := Options{Now: func() time.Time { return now }, CacheBytes: -1, ProofMemoTTL: -1}
	return NewChecker(fetch, verify, opts).Check(ctx, cred)
}

// Check runs the validate algorithm of §3.2 on every credentialStatus entry of cred, whose own
// proofs the caller has verified, and returns the results of the entries that could be checked
// in document order. A credential without credentialStatus has no results and no error.
//
// The error joins one [*Error] per failed entry, with Path /credentialStatus or
// /credentialStatus/N, so that errors.Is matches any of them:
//   - ErrRetrieval: the Fetcher failed.
//   - ErrVerification: the credential has more than MaxEntries entries ([ErrTooManyEntries],
//     the only error that stops the whole check); the verifier refused the list's proofs; the list is outside its validity
//     period (also matching [vc.ErrExpired] or [vc.ErrNotYetValid]); its purposes do not
//     include the entry's ([ErrPurposeMismatch]); its issuer is not trusted
//     ([ErrIssuerMismatch]); its id is another URL ([ErrListIDMismatch]); the entry is not a
//     BitstringStatusListEntry or its statusSize is too large ([ErrUnsupported]); the list
//     inflates beyond the limit ([ErrListTooLarge]).
//   - ErrListLength: the list holds fewer than MinEntries entries of the entry's statusSize.
//   - vc.ErrRange: the index lies outside the list.
//   - vc.ErrMalformedValue: the entry or the list credential breaks a MUST of §2.
func (c *Checker) Check(ctx context.Context, cred *vc.Credential) ([]Result, error) {
	now := c.now()
	entries := cred.Status()
	if limit := orDefault(c.opts.MaxEntries, DefaultMaxEntries); len(entries) > limit {
		return nil, newError(VerificationError, "/credentialStatus", ErrTooManyEntries, fmt.Sprintf("%d entries, at most %d are checked", len(entries), limit))
	}
	v, _ := cred.Get("credentialStatus")
	_, isArray := v.([]any)
	var results []Result
	var errs []error
	for i, obj := range entries {
		path := "/credentialStatus"
		if isArray {
			path += "/" + strconv.Itoa(i)
		}
		r, err := c.checkEntry(ctx, cred, obj.Value, now)
		if err != nil {
			errs = append(errs, atPath(err, path))
			continue
		}
		r.Position = i
		results = append(results, r)
	}
	return results, errors.Join(errs...)
}

func (c *Checker) checkEntry(ctx context.Context, cred *vc.Credential, obj map[string]any, now time.Time) (Result, error) {
	e, err := ParseEntry(obj)
	if err != nil {
		return Result{}, err
	}
	l, err := c.list(ctx, e.ListCredential, now)
	if err != nil {
		return Result{}, err
	}
	if err := c.checkList(cred, e, l, now); err != nil {
		return Result{}, err
	}
	size := e.StatusSize()
	if minimum := orDefault(c.opts.MinEntries, MinEntries); l.Bits.Entries(size) < minimum {
		return Result{}, newError(ListLengthError, "", ErrListTooShort,
			fmt.Sprintf("%d entries of %d bits, at least %d required", l.Bits.Entries(size), size, minimum))
	}
	status, err := l.Bits.Get(e.Index, size)
	if err != nil {
		return Result{}, err
	}
	return Result{Entry: e, Status: status, Valid: status == 0, Message: e.Message(status)}, nil
}

// checkList applies the checks that depend on the entry and the clock, so they run on cached
// lists too.
func (c *Checker) checkList(cred *vc.Credential, e Entry, l *List, now time.Time) error {
	if err := l.Credential.CheckValidity(now); err != nil {
		return newError(VerificationError, "", err, "the status list credential is not valid now")
	}
	if issuer, listIssuer := cred.Issuer().ID, l.Credential.Issuer().ID; !c.trusts(issuer, listIssuer) {
		return newError(VerificationError, "", ErrIssuerMismatch, fmt.Sprintf("list issued by %s for a credential of %s", quote(listIssuer), quote(issuer)))
	}
	if id := l.Credential.ID(); id != "" && id != e.ListCredential && !c.opts.AllowListIDMismatch {
		return newError(VerificationError, "", ErrListIDMismatch, fmt.Sprintf("list %s served at %s", quote(id), quote(e.ListCredential)))
	}
	if !l.HasPurpose(e.Purpose) {
		return newError(VerificationError, "", ErrPurposeMismatch, fmt.Sprintf("the entry's purpose %s is not among the list's %v", quote(string(e.Purpose)), l.Purposes))
	}
	return nil
}

func (c *Checker) trusts(issuer, listIssuer string) bool {
	if c.opts.TrustListIssuer != nil {
		return c.opts.TrustListIssuer(issuer, listIssuer)
	}
	return issuer == listIssuer
}

func (c *Checker) now() time.Time {
	if c.opts.Now != nil {
		return c.opts.Now()
	}
	return time.Now()
}

// atPath prefixes the path of an *Error with the entry's path; the Error of a list credential
// problem keeps its own path inside the list as a wrapped cause.
func atPath(err error, path string) error {
	var e *Error
	if !errors.As(err, &e) {
		return newError(VerificationError, path, err, "")
	}
	return &Error{Type: e.Type, Path: path + e.Path, Detail: e.Detail, Err: e.Err}
}
