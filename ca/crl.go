package ca

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// CRL is an owner's current certificate revocation list.
type CRL struct {
	Number     int64
	ThisUpdate time.Time
	NextUpdate time.Time
	DER        []byte
}

// PEM returns the CRL in PEM form (RFC 7468 §6, label "X509 CRL").
func (c *CRL) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: c.DER})
}

// CRL returns the latest CRL of the owner id as recorded in the registry, which every
// CA process sharing the store serves alike. ErrUnknownOwner when no owner has this
// id, ErrNotFound when it has no CRL yet.
func (ca *CA) CRL(ctx context.Context, id string) (*CRL, error) {
	rec, err := ca.db.CRL(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		if _, oerr := ca.db.Owner(ctx, id); errors.Is(oerr, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownOwner, id)
		}
	}
	if err != nil {
		return nil, mapStore(err)
	}
	return &CRL{Number: rec.Number, ThisUpdate: rec.ThisUpdate, NextUpdate: rec.NextUpdate, DER: rec.DER}, nil
}

// RefreshCRLs issues a new CRL for every loaded owner whose current CRL is past half
// of its validity (or missing), so relying parties always find one before the
// previous nextUpdate. The server calls it periodically, e.g. every few minutes.
func (ca *CA) RefreshCRLs(ctx context.Context) error {
	var errs []error
	for _, o := range ca.loaded() {
		now := ca.opts.Now()
		err := ca.db.Tx(ctx, func(tx store.Tx) error {
			last, err := tx.CRL(ctx, o.id)
			if err == nil && now.Before(last.ThisUpdate.Add(last.NextUpdate.Sub(last.ThisUpdate)/2)) {
				return nil
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return ca.issueCRL(ctx, tx, o, now)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("ca: CRL of owner %q: %w", o.id, err))
		}
	}
	return errors.Join(errs...)
}

// issueCRL signs and records the next CRL of o within tx: a complete v2 CRL with
// cRLNumber (one more than the last recorded) and authorityKeyIdentifier, listing
// every revoked certificate that has not been expired for a whole CRL period.
//
// It carries no issuingDistributionPoint. RFC 5280 §5.2.5 makes that extension
// critical, but only needs it on CRLs whose scope is narrower than "all
// certificates of this issuer, all reasons"; these CRLs are full CRLs, so
// leaving it out keeps them readable by checkers that refuse unknown critical
// extensions.
func (ca *CA) issueCRL(ctx context.Context, tx store.Tx, o *owner, now time.Time) error {
	number := int64(1)
	last, err := tx.CRL(ctx, o.id)
	switch {
	case err == nil:
		number = last.Number + 1
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	revoked, err := tx.RevokedCertificates(ctx, o.id)
	if err != nil {
		return err
	}
	this := now.Add(-backdate).Truncate(time.Second)
	tmpl := &x509.RevocationList{
		Number:                    big.NewInt(number),
		ThisUpdate:                this,
		NextUpdate:                this.Add(ca.opts.CRLValidity),
		RevokedCertificateEntries: crlEntries(revoked, this.Add(-ca.opts.CRLValidity)),
	}
	der, err := x509.CreateRevocationList(ca.opts.Rand, tmpl, o.cert, o.signer)
	if err != nil {
		return fmt.Errorf("ca: signing CRL: %w", err)
	}
	return tx.PutCRL(ctx, store.CRL{
		IssuerID: o.id, Number: number, ThisUpdate: tmpl.ThisUpdate, NextUpdate: tmpl.NextUpdate, DER: der,
	})
}

// crlEntries lists the revoked certificates that expired after cutoff. RFC 5280
// §3.3: "An entry MUST NOT be removed from the CRL until it appears on one
// regularly scheduled CRL issued beyond the revoked certificate's validity period."
// The unspecified reason is left out, as §5.3.1 asks ("reason code
// unspecified (0) SHOULD be absent"); Go omits a zero ReasonCode.
func crlEntries(revoked []store.Certificate, cutoff time.Time) []x509.RevocationListEntry {
	out := make([]x509.RevocationListEntry, 0, len(revoked))
	for _, c := range revoked {
		if c.NotAfter.Before(cutoff) {
			continue
		}
		out = append(out, x509.RevocationListEntry{
			SerialNumber: c.Serial, RevocationTime: c.RevokedAt, ReasonCode: int(c.Reason),
		})
	}
	return out
}
