package ca

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
)

// OwnerRequest creates an owner CA. ID and Signer are required.
type OwnerRequest struct {
	ID       string        // registry id of the owner: letters, digits, ".", "_", "-"; at most MaxOwnerID bytes
	TenantID string        // the tenant allowed to enrol under it; empty: any tenant
	Subject  pkix.Name     // the CA's name; empty means CN "kakunin owner <ID>"
	Signer   crypto.Signer // the owner key (keys.Open / keys.Generate)
	Validity time.Duration // of a self-signed certificate; zero means DefaultOwnerValidity
	Actor    string        // who asks, for the audit log; empty means ActorSystem
}

// OwnerInfo describes an owner CA.
type OwnerInfo struct {
	ID string
	// Multikey is the owner key as it appears in did:kakunin identifiers.
	Multikey    string
	Certificate *x509.Certificate
	// Chain is Certificate followed by its issuers, if any.
	Chain []*x509.Certificate
	// TenantID is the tenant the owner was recorded with; empty: any tenant.
	TenantID string
}

// InitOwner creates a self-signed owner CA certificate for r.Signer, records the
// owner with its first CRL and its owner.created audit entry (digest: SHA-256 of
// the certificate's DER) in one transaction and loads it. The returned Multikey is
// the owner-key component of the owner's DIDs. ErrConflict when the id is taken.
func (ca *CA) InitOwner(ctx context.Context, r OwnerRequest) (*OwnerInfo, error) {
	tmpl, err := ca.ownerTemplate(r)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(ca.opts.Rand, tmpl, tmpl, r.Signer.Public(), r.Signer)
	if err != nil {
		return nil, fmt.Errorf("ca: signing owner certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return ca.addOwner(ctx, r, cert, nil)
}

// OwnerCSR returns a DER certificate request for r's owner key, for an enterprise
// CA to certify; record its answer with ImportOwner.
func OwnerCSR(r OwnerRequest) ([]byte, error) {
	if r.Signer == nil {
		return nil, invalid("signer", "missing", nil)
	}
	if err := checkKeyType(r.Signer.Public()); err != nil {
		return nil, refused("signer", "owner key type not allowed", err)
	}
	tmpl := &x509.CertificateRequest{Subject: ownerSubject(r)}
	return x509.CreateCertificateRequest(rand.Reader, tmpl, r.Signer)
}

// ImportOwner records an owner whose CA certificate another CA issued: chain[0] is
// that certificate (for r.Signer's key), followed by its issuers. r.Subject and
// r.Validity are ignored. It logs owner.created like InitOwner.
func (ca *CA) ImportOwner(ctx context.Context, r OwnerRequest, chain []*x509.Certificate) (*OwnerInfo, error) {
	if len(chain) == 0 {
		return nil, invalid("chain", "empty", nil)
	}
	if r.Signer == nil {
		return nil, invalid("signer", "missing", nil)
	}
	cert := chain[0]
	if err := checkOwnerCert(cert); err != nil {
		return nil, err
	}
	if now := ca.opts.Now(); now.Before(cert.NotBefore) || !now.Before(cert.NotAfter) {
		return nil, refused("chain", "owner certificate is not valid now", nil)
	}
	if len(chain) > 1 {
		if err := cert.CheckSignatureFrom(chain[1]); err != nil {
			return nil, invalid("chain", "owner certificate not signed by the next certificate", err)
		}
	}
	return ca.addOwner(ctx, r, cert, chain[1:])
}

func checkOwnerCert(cert *x509.Certificate) error {
	switch {
	case !cert.BasicConstraintsValid || !cert.IsCA:
		return refused("chain", "owner certificate is not a CA", nil)
	case cert.KeyUsage&x509.KeyUsageCertSign == 0 || cert.KeyUsage&x509.KeyUsageCRLSign == 0:
		return refused("chain", "owner certificate lacks keyCertSign or cRLSign", nil)
	case len(cert.SubjectKeyId) == 0:
		return refused("chain", "owner certificate has no subject key identifier", nil)
	case len(cert.RawSubject) <= 2:
		return refused("chain", "owner certificate has an empty subject", nil)
	}
	if err := checkKeyType(cert.PublicKey); err != nil {
		return refused("chain", "owner key type not allowed", err)
	}
	return nil
}

// MaxOwnerID bounds owner ids, which appear in URL paths and certificates.
const MaxOwnerID = 64

// checkOwnerID requires an id that is one URL path segment as is: letters, digits,
// ".", "_" and "-", starting with a letter or digit.
func checkOwnerID(id string) error {
	if id == "" || len(id) > MaxOwnerID {
		return invalid("id", fmt.Sprintf("must have 1 to %d characters", MaxOwnerID), nil)
	}
	for i, c := range id {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || (c != '.' && c != '_' && c != '-')) {
			return invalid("id", "only letters, digits, '.', '_' and '-', starting with a letter or digit", nil)
		}
	}
	return nil
}

// addOwner records the owner and its first CRL, then loads it.
func (ca *CA) addOwner(ctx context.Context, r OwnerRequest, cert *x509.Certificate, parents []*x509.Certificate) (*OwnerInfo, error) {
	if err := checkOwnerID(r.ID); err != nil {
		return nil, err
	}
	now := ca.opts.Now()
	rec := store.Owner{ID: r.ID, TenantID: r.TenantID, CertDER: cert.Raw, Created: now}
	o, err := newOwner(rec, cert, r.Signer, parents)
	if err != nil {
		return nil, err
	}
	rec.OwnerKey = o.multikey
	if err := rec.Validate(); err != nil {
		return nil, invalid("owner", "record refused", err)
	}
	w := who{actor: firstOf(r.Actor, ActorSystem), tenant: firstOf(r.TenantID, r.ID)}
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOwner(ctx, rec); err != nil {
			return err
		}
		if err := logEntry(ctx, tx, audit.OwnerCreated, w, "", audit.SHA256(cert.Raw), now); err != nil {
			return err
		}
		return ca.issueCRL(ctx, tx, o, now)
	})
	if err != nil {
		return nil, mapStore(err)
	}
	if err := ca.refreshResponder(ctx, o); err != nil {
		return nil, err
	}
	ca.mu.Lock()
	ca.owners[o.id] = o
	ca.mu.Unlock()
	return o.info(), nil
}

func (ca *CA) ownerTemplate(r OwnerRequest) (*x509.Certificate, error) {
	if r.Signer == nil {
		return nil, invalid("signer", "missing", nil)
	}
	pub := r.Signer.Public()
	if err := checkKeyType(pub); err != nil {
		return nil, refused("signer", "owner key type not allowed", err)
	}
	ski, err := keyID(pub)
	if err != nil {
		return nil, invalid("signer", "public key", err)
	}
	serial, err := randomSerial(ca.opts.Rand)
	if err != nil {
		return nil, err
	}
	now := ca.opts.Now().Add(-backdate).Truncate(time.Second)
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               ownerSubject(r),
		NotBefore:             now,
		NotAfter:              now.Add(orDefault(r.Validity, DefaultOwnerValidity)),
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId:          ski,
	}, nil
}

func ownerSubject(r OwnerRequest) pkix.Name {
	if len(r.Subject.ToRDNSequence()) == 0 {
		return pkix.Name{CommonName: "kakunin owner " + r.ID}
	}
	return r.Subject
}

// randomSerial returns a positive 16-octet serial, for certificates the registry
// does not number (self-signed owner CAs).
func randomSerial(rand io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("ca: serial: %w", err)
	}
	b[0] = b[0]&0x7f | 0x40
	return new(big.Int).SetBytes(b), nil
}

// Owner describes the loaded owner id: its certificate and chain.
func (ca *CA) Owner(id string) (*OwnerInfo, error) {
	o, err := ca.owner(id)
	if err != nil {
		return nil, err
	}
	return o.info(), nil
}

func (o *owner) info() *OwnerInfo {
	return &OwnerInfo{ID: o.id, Multikey: o.multikey, Certificate: o.cert, Chain: o.chain(), TenantID: o.tenant}
}

// PEM returns Chain as concatenated PEM CERTIFICATE blocks.
func (i *OwnerInfo) PEM() []byte {
	return chainPEM(i.Chain)
}
