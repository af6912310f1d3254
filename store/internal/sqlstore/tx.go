package sqlstore

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// tx implements store.Tx inside one backend transaction. tree is the audit
// tree state of that transaction (nil: nothing is remembered); held are the
// credential records held back to be written together (nil: none are).
type tx struct {
	reader
	tree *treeState
	held *heldWrites
}

func (t tx) CreateOwner(ctx context.Context, o store.Owner) error {
	if err := o.Validate(); err != nil {
		return err
	}
	n, err := t.q.Exec(ctx, `INSERT INTO owners (id, owner_key, cert_der, tenant_id, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
		o.ID, o.OwnerKey, o.CertDER, o.TenantID, t.d.Time(o.Created))
	return changed(n, err, "owner "+o.ID+" exists", "recording owner")
}

func (t tx) PutCertificate(ctx context.Context, c store.Certificate) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var issuerKnown, deactivated bool
	err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM owners WHERE id = $1),
		COALESCE((SELECT deactivated FROM dids WHERE did = $2), $3)`, c.IssuerID, c.DID, false).
		Scan(&issuerKnown, &deactivated)
	switch {
	case err != nil:
		return fmt.Errorf("store: recording certificate: %w", err)
	case !issuerKnown:
		return fmt.Errorf("%w: issuer %s", store.ErrNotFound, c.IssuerID)
	case deactivated:
		return fmt.Errorf("%w: %s", store.ErrDeactivated, c.DID)
	}
	n, err := t.q.Exec(ctx, `INSERT INTO certificates (issuer_id, serial, did, der, not_before, not_after, state)
		VALUES ($1, $2, $3, $4, $5, $6, 'good') ON CONFLICT (issuer_id, serial) DO NOTHING`,
		c.IssuerID, serialArg(c.Serial), c.DID, c.DER, t.d.Time(c.NotBefore), t.d.Time(c.NotAfter))
	return changed(n, err, "certificate serial exists for this issuer", "recording certificate")
}

func (t tx) RevokeCertificate(ctx context.Context, issuerID string, serial *big.Int, at time.Time,
	reason store.RevocationReason) error {
	if !reason.Valid() {
		return &store.FieldError{Field: "revocation reason", Reason: "not a CRLReason to revoke with"}
	}
	if at.IsZero() {
		return &store.FieldError{Field: "revocation time", Reason: "zero time"}
	}
	if _, err := t.Certificate(ctx, issuerID, serial); err != nil {
		return err
	}
	n, err := t.q.Exec(ctx, `UPDATE certificates SET state = 'revoked', revoked_at = $3, reason = $4
		WHERE issuer_id = $1 AND serial = $2 AND state = 'good'`,
		issuerID, serialArg(serial), t.d.Time(at), int64(reason))
	return changed(n, err, "certificate already revoked", "revoking certificate")
}

func (t tx) PutCRL(ctx context.Context, c store.CRL) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := t.requireOwner(ctx, c.IssuerID); err != nil {
		return err
	}
	// RFC 5280 §5.2.3: the cRLNumber is "a monotonically increasing sequence number
	// for a given CRL scope and CRL issuer", so a number that does not increase is
	// refused rather than stored.
	n, err := t.q.Exec(ctx, `INSERT INTO crls (issuer_id, number, this_update, next_update, der)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (issuer_id) DO UPDATE SET number = excluded.number, this_update = excluded.this_update,
			next_update = excluded.next_update, der = excluded.der
		WHERE crls.number < excluded.number`,
		c.IssuerID, c.Number, t.d.Time(c.ThisUpdate), t.d.Time(c.NextUpdate), c.DER)
	return changed(n, err, "cRLNumber does not increase", "recording CRL")
}

func (t tx) requireOwner(ctx context.Context, id string) error {
	var one int
	err := t.q.QueryRow(ctx, `SELECT 1 FROM owners WHERE id = $1`, id).Scan(&one)
	return notFound(err, "issuer "+id)
}

// requireActive fails with ErrDeactivated when did is deactivated.
func (t tx) requireActive(ctx context.Context, did string) error {
	s, err := t.DID(ctx, did)
	switch {
	case err == nil && s.Deactivated:
		return fmt.Errorf("%w: %s", store.ErrDeactivated, did)
	case err == nil || isNotFound(err):
		return nil
	}
	return err
}

// changed turns an INSERT … ON CONFLICT DO NOTHING (or guarded UPDATE) result into
// ErrConflict when it changed no row.
func changed(n int64, err error, conflict, doing string) error {
	switch {
	case err != nil:
		return fmt.Errorf("store: %s: %w", doing, err)
	case n == 0:
		return fmt.Errorf("%w: %s", store.ErrConflict, conflict)
	}
	return nil
}
