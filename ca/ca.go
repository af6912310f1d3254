package ca

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/store"
)

// CA issues, revokes and answers for agent certificates of the owners loaded into
// it. It is safe for concurrent use; every durable change goes through the store, so
// several CA processes may share one store.
type CA struct {
	db   store.DB
	opts Options

	mu     sync.RWMutex
	owners map[string]*owner

	ocsp *responseCache
}

// owner is an owner CA whose signing key this process holds.
type owner struct {
	id       string
	tenant   string
	cert     *x509.Certificate
	parents  []*x509.Certificate // the owner certificate's issuers, nearest first
	signer   crypto.Signer
	multikey string
	hashes   issuerHashes

	respMu    sync.Mutex // serialises responder renewal
	responder atomic.Pointer[responder]
}

// New returns a CA over db. Load each owner whose key this process holds with
// LoadOwner, or create one with InitOwner.
func New(db store.DB, opts Options) (*CA, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &CA{db: db, opts: o, owners: make(map[string]*owner), ocsp: newResponseCache()}, nil
}

// LoadOwner makes the CA sign for the recorded owner id with signer (a file or HSM
// key, see package keys). parents are the owner certificate's issuers, nearest
// first, served with its chain; a self-signed owner has none. It fails with
// ErrUnknownOwner when the owner is not recorded and ErrKeyMismatch when signer
// does not hold the owner certificate's key.
func (ca *CA) LoadOwner(ctx context.Context, id string, signer crypto.Signer, parents ...*x509.Certificate) error {
	rec, err := ca.db.Owner(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %q", ErrUnknownOwner, id)
	}
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(rec.CertDER)
	if err != nil {
		return fmt.Errorf("ca: owner %q certificate: %w", id, err)
	}
	o, err := newOwner(rec, cert, signer, parents)
	if err != nil {
		return err
	}
	if err := ca.refreshResponder(ctx, o); err != nil {
		return err
	}
	ca.mu.Lock()
	ca.owners[id] = o
	ca.mu.Unlock()
	return nil
}

func newOwner(rec store.Owner, cert *x509.Certificate, signer crypto.Signer, parents []*x509.Certificate) (*owner, error) {
	if !sameKey(signer.Public(), cert.PublicKey) {
		return nil, fmt.Errorf("%w: owner %q", ErrKeyMismatch, rec.ID)
	}
	mk, err := did.EncodeMultikey(cert.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("ca: owner %q key: %w", rec.ID, err)
	}
	hashes, err := newIssuerHashes(cert)
	if err != nil {
		return nil, err
	}
	return &owner{
		id: rec.ID, tenant: rec.TenantID, cert: cert, parents: parents,
		signer: signer, multikey: mk, hashes: hashes,
	}, nil
}

// owner returns the loaded owner id.
func (ca *CA) owner(id string) (*owner, error) {
	ca.mu.RLock()
	o := ca.owners[id]
	ca.mu.RUnlock()
	if o == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownOwner, id)
	}
	return o, nil
}

// loaded returns every loaded owner.
func (ca *CA) loaded() []*owner {
	ca.mu.RLock()
	defer ca.mu.RUnlock()
	out := make([]*owner, 0, len(ca.owners))
	for _, o := range ca.owners {
		out = append(out, o)
	}
	return out
}

// allowed checks that tenant may act for o: an owner recorded without a tenant
// accepts every tenant.
func (o *owner) allowed(tenant string) error {
	if o.tenant != "" && o.tenant != tenant {
		return fmt.Errorf("%w: owner %q", ErrForbidden, o.id)
	}
	return nil
}

// chain returns the owner certificate followed by its parents.
func (o *owner) chain() []*x509.Certificate {
	return append([]*x509.Certificate{o.cert}, o.parents...)
}

// mapStore turns store sentinels a caller acts on into this package's.
func mapStore(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrDeactivated):
		return fmt.Errorf("%w: %w", ErrDeactivated, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
