package status

import (
	"context"
	"errors"
	"time"
)

var (
	errNoVerifier   = errors.New("status: no credential verifier configured")
	errNoCredential = errors.New("status: the credential verifier returned no credential")
)

// list returns the verified, expanded list at url, from the cache or else by dereferencing it
// (§3.2: "Dereference the statusListCredential URL, and ensure that all proofs verify
// successfully. If the dereference fails, raise a STATUS_RETRIEVAL_ERROR. If any of the proof
// verifications fail, raise a STATUS_VERIFICATION_ERROR.")
func (c *Checker) list(ctx context.Context, url string, now time.Time) (*List, error) {
	if c.cache != nil {
		if l, ok := c.cache.get(url, now); ok {
			return l, nil
		}
	}
	l, err := c.flights.do(ctx, url, func(ctx context.Context) (*List, error) { return c.retrieve(ctx, url, now) })
	var e *Error
	if err != nil && !errors.As(err, &e) { // the caller's context ended while it waited
		return nil, newError(RetrievalError, "", err, "waiting for "+quote(url))
	}
	return l, err
}

func (c *Checker) retrieve(ctx context.Context, url string, now time.Time) (*List, error) {
	if c.fetch == nil || c.verify == nil {
		return nil, newError(VerificationError, "", errNoVerifier, "")
	}
	doc, err := fetchDocument(ctx, c.fetch, url)
	if err != nil {
		return nil, newError(RetrievalError, "", err, "dereferencing "+quote(url))
	}
	sum := digest(doc)
	l, ok := c.memo.get(sum, now)
	if !ok {
		if l, err = c.verifyList(ctx, doc); err != nil {
			return nil, err
		}
		c.memo.put(sum, l, now)
	}
	if expires, ok := c.expiry(l, now); ok && c.cache != nil {
		c.cache.put(url, l, now, expires)
	}
	return l, nil
}

// verifyList verifies the proofs of a fetched list credential and expands its list.
func (c *Checker) verifyList(ctx context.Context, doc Document) (*List, error) {
	v, err := c.verify.VerifyCredential(ctx, doc)
	if err == nil && (v == nil || v.Credential == nil) {
		err = errNoCredential
	}
	if err != nil {
		return nil, newError(VerificationError, "", err, "the proofs of the status list credential do not verify")
	}
	l, err := ParseList(v.Credential, c.opts.Decode)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, newError(e.Type, "", e, "in the status list credential")
		}
		return nil, err
	}
	l.proofExpires = v.Expires
	return l, nil
}

// expiry is when a list fetched at now leaves the cache: after its ttl (or CacheTTL without
// one), capped by MaxCacheTTL, by its validUntil and by its proofs' expiry. A ttl of zero is
// not cached.
func (c *Checker) expiry(l *List, now time.Time) (time.Time, bool) {
	ttl := orDefault(c.opts.CacheTTL, DefaultCacheTTL)
	if l.HasTTL {
		ttl = l.TTL
	}
	ttl = min(ttl, orDefault(c.opts.MaxCacheTTL, DefaultMaxCacheTTL))
	if ttl <= 0 {
		return time.Time{}, false
	}
	expires := now.Add(ttl)
	if until, ok := l.until(); ok && until.Before(expires) {
		expires = until
	}
	return expires, expires.After(now)
}
