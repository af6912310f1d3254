package ca

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// EnrollRequest asks for an agent certificate. Owner, Tenant and CSR are required,
// and either DID or both digests.
type EnrollRequest struct {
	Owner  string // the owner CA's id
	Tenant string // the requesting tenant, as the caller authenticated it
	// Actor is who asks (a token or account id), as the audit log records it;
	// empty means Tenant.
	Actor string
	CSR   []byte // PKCS#10, DER or PEM, signed by the agent instance's key
	// DID is the agent's identifier. When empty, it is made from ModelDigest,
	// PromptDigest and the owner key; when set, its owner key must be the owner's
	// and non-zero digests must equal its own.
	DID                       string
	ModelDigest, PromptDigest kakunin.Digest
	// ExtraURIs are SAN URIs beside the DID (Options.AllowExtraURIs).
	ExtraURIs []string
	// Validity of the certificate; zero means Options.MaxValidity.
	Validity time.Duration
}

// Issued is a certificate the CA issued.
type Issued struct {
	ID          kakunin.ID
	Certificate *x509.Certificate
	// Chain is Certificate followed by the owner CA's chain.
	Chain []*x509.Certificate
	// VersionID is the DID version the issuance created.
	VersionID int64
}

// PEM returns Chain as concatenated PEM CERTIFICATE blocks
// (application/pem-certificate-chain, RFC 8555 §9.1).
func (i *Issued) PEM() []byte {
	return chainPEM(i.Chain)
}

func chainPEM(chain []*x509.Certificate) []byte {
	var out []byte
	for _, c := range chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// Enroll issues an agent certificate for the key of r.CSR under owner r.Owner. It
// checks the CSR signature (proof of possession) and key type, that r.Tenant may
// enrol under the owner, the DID, the validity and the extra URIs; then allocates a
// serial, signs, checks the result against the agent-certificate profile, and
// records the certificate, its "issued" event and its cert.issued audit entry in
// one transaction; then calls Options.OnChange. Errors match
// ErrUnknownOwner, ErrForbidden, ErrInvalidRequest, ErrProofOfPossession, ErrPolicy
// or ErrDeactivated.
func (ca *CA) Enroll(ctx context.Context, r EnrollRequest) (*Issued, error) {
	o, err := ca.owner(r.Owner)
	if err != nil {
		return nil, err
	}
	if err := o.allowed(r.Tenant); err != nil {
		return nil, err
	}
	csr, err := ParseCSR(r.CSR)
	if err != nil {
		return nil, err
	}
	if err := checkCSR(csr); err != nil {
		return nil, err
	}
	id, err := requestedID(o, r)
	if err != nil {
		return nil, err
	}
	a := agentCert{id: id, pub: csr.PublicKey}
	if a.validity, err = ca.validity(r.Validity); err != nil {
		return nil, err
	}
	if a.extraURIs, err = ca.extraURIs(r.ExtraURIs); err != nil {
		return nil, err
	}
	return ca.issue(ctx, o, a, o.by(r.Actor, r.Tenant), store.EventIssued, nil)
}

// requestedID is the DID of an enrolment request, under o's key.
func requestedID(o *owner, r EnrollRequest) (kakunin.ID, error) {
	var zero kakunin.Digest
	if r.DID == "" {
		if r.ModelDigest == zero || r.PromptDigest == zero {
			return kakunin.ID{}, invalid("did", "neither a DID nor both digests", nil)
		}
		id, err := kakunin.New(r.ModelDigest, r.PromptDigest, o.cert.PublicKey)
		if err != nil {
			return kakunin.ID{}, invalid("did", "cannot be made from the digests", err)
		}
		return id, nil
	}
	id, err := kakunin.Parse(r.DID)
	switch {
	case err != nil:
		return kakunin.ID{}, invalid("did", "not a did:kakunin", err)
	case id.OwnerMultikey() != o.multikey:
		return kakunin.ID{}, refused("did", "its owner key is not this owner's", nil)
	case r.ModelDigest != zero && r.ModelDigest != id.ModelDigest(),
		r.PromptDigest != zero && r.PromptDigest != id.PromptDigest():
		return kakunin.ID{}, invalid("did", "digests differ from the DID's", nil)
	}
	return id, nil
}

// issue signs and records a certificate for a in one transaction with its event of
// the given kind and its audit entry by w; also, when not nil, runs within the same
// transaction (a rotation's revocation of the old certificate).
func (ca *CA) issue(ctx context.Context, o *owner, a agentCert, w who, kind store.EventKind, also func(store.Tx, time.Time) error) (*Issued, error) {
	now := ca.opts.Now()
	a.notBefore = now.Add(-backdate).Truncate(time.Second)
	var out *Issued
	err := ca.db.Tx(ctx, func(tx store.Tx) error {
		out = nil
		serial, err := tx.AllocateSerial(ctx, o.id, now)
		if err != nil {
			return err
		}
		a.serial = serial
		tmpl, err := ca.agentTemplate(o, a)
		if err != nil {
			return err
		}
		cert, err := ca.sign(o, tmpl, a)
		if err != nil {
			return err
		}
		ev, err := recordIssued(ctx, tx, o.id, a.id, cert, kind, now)
		if err != nil {
			return err
		}
		if err := logCert(ctx, tx, auditType(kind), w, a.id.String(), cert, now); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, now); err != nil {
				return err
			}
		}
		out = &Issued{ID: a.id, Certificate: cert, Chain: append([]*x509.Certificate{cert}, o.chain()...), VersionID: ev.VersionID}
		return nil
	})
	if err != nil {
		return nil, mapStore(err)
	}
	ca.changed(ctx, a.id.String())
	return out, nil
}

func recordIssued(ctx context.Context, tx store.Tx, issuer string, id kakunin.ID, cert *x509.Certificate, kind store.EventKind, now time.Time) (store.Event, error) {
	err := tx.PutCertificate(ctx, store.Certificate{
		IssuerID: issuer, Serial: cert.SerialNumber, DID: id.String(), DER: cert.Raw,
		NotBefore: cert.NotBefore, NotAfter: cert.NotAfter,
	})
	if err != nil {
		return store.Event{}, err
	}
	return tx.AppendEvent(ctx, store.Event{DID: id.String(), Kind: kind, Time: now, IssuerID: issuer, Serial: cert.SerialNumber})
}
