package issuer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// ListCredential is a signed BitstringStatusListCredential, ready to serve.
type ListCredential struct {
	Body []byte        // the credential with its Data Integrity proof
	TTL  time.Duration // its ttl; serve it with status.CacheControl(TTL)
}

type signedList struct {
	instance string
	purpose  status.Purpose
	version  int64
	signedAt time.Time
	method   string // the verification method that signed it
	list     ListCredential
}

// StatusListCredential returns the signed list credential of an instance's list, served at
// BaseURL/status/{instance}/{purpose}/{listID}. A signed copy is kept and signed again when
// the list's bits change or half its validity period has passed. While the copy is fresh,
// a Store that implements store.StatusVersionReader is asked for the list's version alone
// (one indexed read, which sees other processes' status changes too), and the bits are read
// only when it moved. A copy signed with another verification method than the instance's
// current one (a did:kakunin instance's renewed certificate: MethodSigner) is signed again.
// Errors wrap ErrUnknownInstance or ErrNotFound.
func (is *Issuer) StatusListCredential(ctx context.Context, instance string, purpose status.Purpose, listID string) (*ListCredential, error) {
	in, err := is.Instance(instance)
	if err != nil || instance == "" {
		return nil, fmt.Errorf("%w: status list", ErrNotFound)
	}
	now := is.now()
	// A method that cannot be looked up now (a did:kakunin instance whose own DID did not
	// resolve) does not fail a public read while a fresh copy of the same bits is at hand.
	vm, methodErr := in.method(ctx, false)
	if c := is.signedCopy(listID, in.Name, purpose, vm, methodErr != nil, now); c != nil {
		if v, ok := is.cfg.Store.(store.StatusVersionReader); ok {
			version, err := v.StatusListVersion(ctx, listID)
			if err != nil {
				return nil, listError(err)
			}
			if version == c.version {
				return &c.list, nil
			}
		}
	}
	if methodErr != nil {
		return nil, methodErr
	}
	l, err := is.cfg.Store.StatusList(ctx, listID)
	if err == nil && (l.InstanceID != in.Name || l.Purpose != purpose) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, listError(err)
	}
	is.mu.Lock()
	defer is.mu.Unlock()
	// A copy signed meanwhile from a read as recent as this one (or more) serves as well.
	if c := is.lists[listID]; c != nil && c.version >= l.Version && c.method == vm && fresh(c, now, is.cfg.ListValidity) {
		return &c.list, nil
	}
	body, err := is.signList(in, vm, l, now)
	if err != nil {
		return nil, err
	}
	c := &signedList{instance: in.Name, purpose: purpose, version: l.Version, signedAt: now, method: vm,
		list: ListCredential{Body: body, TTL: is.cfg.ListTTL}}
	is.lists[listID] = c
	return &c.list, nil
}

// signedCopy returns the signed copy of list id if it is of this instance and purpose, was
// signed with method vm and less than half the validity period before now; nil otherwise.
func (is *Issuer) signedCopy(id, instance string, purpose status.Purpose, vm string, anyMethod bool, now time.Time) *signedList {
	is.mu.Lock()
	defer is.mu.Unlock()
	c := is.lists[id]
	if c == nil || c.instance != instance || c.purpose != purpose || c.method != vm && !anyMethod || !fresh(c, now, is.cfg.ListValidity) {
		return nil
	}
	return c
}

// fresh reports whether c was signed less than half of validity before now (and not after
// now: a clock set back signs again).
func fresh(c *signedList, now time.Time, validity time.Duration) bool {
	return !now.Before(c.signedAt) && now.Sub(c.signedAt) < validity/2
}

// listError maps the store's ErrNotFound to ErrNotFound.
func listError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: status list", ErrNotFound)
	}
	return err
}

// listClockSkew backdates a list credential's validFrom, so a verifier whose clock is a
// little behind the issuer's (or that read its clock before fetching the list) does not
// see a freshly signed list as not yet valid. The bits are current either way.
const listClockSkew = 5 * time.Minute

func (is *Issuer) signList(in *Instance, vm string, l store.StatusList, now time.Time) ([]byte, error) {
	c, err := status.NewListCredential(status.ListParams{
		ID: l.URL, Issuer: in.DID, Purposes: []status.Purpose{l.Purpose},
		ValidFrom: now.Add(-listClockSkew), ValidUntil: now.Add(is.cfg.ListValidity), TTL: is.cfg.ListTTL,
	}, l.Bits)
	if err != nil {
		return nil, fmt.Errorf("issuer: status list: %w", err)
	}
	raw, err := c.MarshalJSON()
	if err != nil {
		return nil, err
	}
	signed, err := dataintegrity.AddProof(raw, in.Signer, dataintegrity.ProofOptions{
		Cryptosuite: in.Cryptosuite, VerificationMethod: vm, Created: now,
		JSONLD: is.cfg.JSONLD, Rand: is.cfg.Rand,
	})
	if err != nil {
		return nil, fmt.Errorf("issuer: sign status list: %w", err)
	}
	return signed, nil
}

// Fetcher returns a status.Fetcher that serves this issuer's own lists from the store, without
// a network round trip, and passes every other URL to next (a *status.HTTPFetcher; nil
// refuses them). It is a status.DocumentFetcher: its own lists are application/vc, and the
// media type next received is passed on when next reports it.
func (is *Issuer) Fetcher(next status.Fetcher) status.Fetcher {
	return listFetcher{is: is, next: next}
}

type listFetcher struct {
	is   *Issuer
	next status.Fetcher
}

var _ status.DocumentFetcher = listFetcher{}

// Fetch returns the body of FetchDocument.
func (f listFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	d, err := f.FetchDocument(ctx, url)
	return d.Body, err
}

// FetchDocument serves the issuer's own lists from the store and asks next for the others.
func (f listFetcher) FetchDocument(ctx context.Context, url string) (status.Document, error) {
	if rest, ok := strings.CutPrefix(url, f.is.cfg.BaseURL+"/status/"); ok {
		parts := strings.Split(rest, "/")
		if len(parts) != 3 {
			return status.Document{}, fmt.Errorf("%w: status list %q", ErrNotFound, clip(url))
		}
		l, err := f.is.StatusListCredential(ctx, parts[0], status.Purpose(parts[1]), parts[2])
		if err != nil {
			return status.Document{}, err
		}
		return status.Document{Body: l.Body, MediaType: status.MediaTypeVC}, nil
	}
	switch next := f.next.(type) {
	case nil:
		return status.Document{}, fmt.Errorf("%w: status list %q is not this issuer's", ErrNotFound, clip(url))
	case status.DocumentFetcher:
		return next.FetchDocument(ctx, url)
	default:
		body, err := next.Fetch(ctx, url)
		return status.Document{Body: body}, err
	}
}
