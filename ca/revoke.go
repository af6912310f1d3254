package ca

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// Reason is an RFC 5280 §5.3.1 CRLReason.
type Reason = store.RevocationReason

// ParseReason reads a CRLReason by its RFC 5280 name ("keyCompromise",
// "superseded" …); "" is unspecified. Only the reasons Revoke accepts parse.
func ParseReason(s string) (Reason, error) {
	for r, name := range reasonNames {
		if name == s {
			return r, nil
		}
	}
	if s == "" {
		return store.ReasonUnspecified, nil
	}
	return 0, invalid("reason", "not a CRLReason this CA revokes with", nil)
}

// reasonNames are the reasons an agent certificate can be revoked for.
// certificateHold is left out because this CA never releases a hold (it would need
// removeFromCRL and delta CRLs), and cACompromise and aACompromise because they
// concern authorities, not end entities.
var reasonNames = map[Reason]string{
	store.ReasonUnspecified:          "unspecified",
	store.ReasonKeyCompromise:        "keyCompromise",
	store.ReasonAffiliationChanged:   "affiliationChanged",
	store.ReasonSuperseded:           "superseded",
	store.ReasonCessationOfOperation: "cessationOfOperation",
	store.ReasonPrivilegeWithdrawn:   "privilegeWithdrawn",
}

// RevokeRequest revokes one certificate.
type RevokeRequest struct {
	Owner  string   // the issuing owner's id
	Tenant string   // the requesting tenant
	Actor  string   // who asks, for the audit log; empty means Tenant
	Serial *big.Int // the certificate's serial number
	Reason Reason
}

// Revoke revokes a certificate of a loaded owner: in one transaction it marks the
// certificate revoked, appends the "revoked" event to its DID, logs cert.revoked
// (see RevocationDigest) and records a new CRL; then it drops the cached OCSP
// answers for the serial and calls Options.OnChange and Options.OnRevoke. Errors match
// ErrUnknownOwner, ErrForbidden, ErrInvalidRequest, ErrNotFound or ErrConflict
// (already revoked).
func (ca *CA) Revoke(ctx context.Context, r RevokeRequest) error {
	o, err := ca.owner(r.Owner)
	if err != nil {
		return err
	}
	if err := o.allowed(r.Tenant); err != nil {
		return err
	}
	if _, ok := reasonNames[r.Reason]; !ok {
		return invalid("reason", "not a CRLReason this CA revokes with", nil)
	}
	if r.Serial == nil || r.Serial.Sign() <= 0 {
		return invalid("serial", "missing or not positive", nil)
	}
	w := o.by(r.Actor, r.Tenant)
	var did string
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		now := ca.opts.Now()
		var err error
		if did, err = revokeOne(ctx, tx, o.id, r.Serial, r.Reason, w, now); err != nil {
			return err
		}
		return ca.issueCRL(ctx, tx, o, now)
	})
	ca.ocsp.forget(o.id, r.Serial)
	if err != nil {
		return mapStore(err)
	}
	ca.revoked(ctx, did, r.Reason)
	return nil
}

// revokeOne marks a certificate revoked, appends the event to its DID and logs
// cert.revoked by w. It returns the DID.
func revokeOne(ctx context.Context, tx store.Tx, issuer string, serial *big.Int, reason Reason, w who, now time.Time) (string, error) {
	rec, err := tx.Certificate(ctx, issuer, serial)
	if err != nil {
		return "", err
	}
	if err := tx.RevokeCertificate(ctx, issuer, serial, now, reason); err != nil {
		return "", err
	}
	_, err = tx.AppendEvent(ctx, store.Event{DID: rec.DID, Kind: store.EventRevoked, Time: now, IssuerID: issuer, Serial: serial})
	if err != nil {
		return "", err
	}
	d, err := RevocationDigest(rec.DER, reason, now)
	if err != nil {
		return "", err
	}
	return rec.DID, logEntry(ctx, tx, audit.CertRevoked, w, rec.DID, d, now)
}

// DeactivateRequest deactivates a DID.
type DeactivateRequest struct {
	DID    string
	Tenant string // the requesting tenant
	Actor  string // who asks, for the audit log; empty means Tenant
	Reason Reason // for the revocations; zero means cessationOfOperation
}

// Deactivate revokes every unexpired good certificate of a DID and marks the DID
// deactivated, in one transaction that also records new CRLs for the loaded owners
// concerned, a cert.revoked audit entry per certificate and did.deactivated (see
// DeactivationDigest); afterwards no certificate is issued or published for it,
// and Options.OnChange and Options.OnRevoke are called. The tenant
// must be allowed for every loaded owner holding the DID's owner key. Errors match
// ErrInvalidRequest, ErrUnknownOwner, ErrForbidden, ErrNotFound (no history) or
// ErrDeactivated.
func (ca *CA) Deactivate(ctx context.Context, r DeactivateRequest) error {
	id, err := kakunin.Parse(r.DID)
	if err != nil {
		return invalid("did", "not a did:kakunin", err)
	}
	reason := r.Reason
	if reason == store.ReasonUnspecified {
		reason = store.ReasonCessationOfOperation
	}
	if _, ok := reasonNames[reason]; !ok {
		return invalid("reason", "not a CRLReason this CA revokes with", nil)
	}
	owners, err := ca.ownersOf(id, r.Tenant)
	if err != nil {
		return err
	}
	w := owners[0].by(r.Actor, r.Tenant)
	var revoked []store.Certificate
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		now := ca.opts.Now()
		var err error
		if revoked, err = revokeAll(ctx, tx, id.String(), reason, w, now); err != nil {
			return err
		}
		if _, err := tx.Deactivate(ctx, id.String(), now); err != nil {
			return err
		}
		if err := logDeactivated(ctx, tx, w, id.String(), now); err != nil {
			return err
		}
		return ca.reissueCRLs(ctx, tx, owners, revoked, now)
	})
	for _, c := range revoked {
		ca.ocsp.forget(c.IssuerID, c.Serial)
	}
	if err != nil {
		return mapStore(err)
	}
	ca.revoked(ctx, id.String(), reason)
	return nil
}

func logDeactivated(ctx context.Context, tx store.Tx, w who, did string, now time.Time) error {
	d, err := DeactivationDigest(did, now)
	if err != nil {
		return err
	}
	return logEntry(ctx, tx, audit.DIDDeactivated, w, did, d, now)
}

// revokeAll revokes the good, unexpired certificates of did.
func revokeAll(ctx context.Context, tx store.Tx, did string, reason Reason, w who, now time.Time) ([]store.Certificate, error) {
	certs, err := tx.CertificatesByDID(ctx, did)
	if err != nil {
		return nil, err
	}
	var out []store.Certificate
	for _, c := range certs {
		if c.State != store.CertGood || !now.Before(c.NotAfter) {
			continue
		}
		if _, err := revokeOne(ctx, tx, c.IssuerID, c.Serial, reason, w, now); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// reissueCRLs records a new CRL for each owner that issued one of revoked.
func (ca *CA) reissueCRLs(ctx context.Context, tx store.Tx, owners []*owner, revoked []store.Certificate, now time.Time) error {
	for _, o := range owners {
		for _, c := range revoked {
			if c.IssuerID == o.id {
				if err := ca.issueCRL(ctx, tx, o, now); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// ownersOf returns the loaded owners whose key is id's owner key, checking that
// tenant may act for each. ErrUnknownOwner when there is none: this CA deactivates
// only DIDs of owners it holds the key of.
func (ca *CA) ownersOf(id kakunin.ID, tenant string) ([]*owner, error) {
	var out []*owner
	for _, o := range ca.loaded() {
		if o.multikey != id.OwnerMultikey() {
			continue
		}
		if err := o.allowed(tenant); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no loaded owner holds the key of %s", ErrUnknownOwner, id)
	}
	return out, nil
}

// OwnersOf returns the ids of the loaded owners holding the owner key of did, for a
// front end that authorises a deactivation per owner. ErrInvalidRequest when did is
// not a did:kakunin.
func (ca *CA) OwnersOf(did string) ([]string, error) {
	id, err := kakunin.Parse(did)
	if err != nil {
		return nil, invalid("did", "not a did:kakunin", err)
	}
	var out []string
	for _, o := range ca.loaded() {
		if o.multikey == id.OwnerMultikey() {
			out = append(out, o.id)
		}
	}
	return out, nil
}
