package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/kakunin-dev/kakunin/store"
)

// reader implements store.Reader over a Querier.
type reader struct {
	q Querier
	d *Dialect
}

const (
	ownerCols = `id, owner_key, cert_der, tenant_id, created_at`
	certCols  = `issuer_id, serial, did, der, not_before, not_after, state, revoked_at, COALESCE(reason, 0)`
	eventCols = `did, version_id, kind, at, COALESCE(issuer_id, ''), serial`
)

func (r reader) Owner(ctx context.Context, id string) (store.Owner, error) {
	row := r.q.QueryRow(ctx, `SELECT `+ownerCols+` FROM owners WHERE id = $1`, id)
	o, err := scanOwner(row)
	return o, notFound(err, "owner")
}

func (r reader) OwnersByKey(ctx context.Context, key string) ([]store.Owner, error) {
	var out []store.Owner
	err := r.q.Query(ctx, `SELECT `+ownerCols+` FROM owners WHERE owner_key = $1 ORDER BY created_at, id`,
		[]any{key}, func(row Row) error {
			o, err := scanOwner(row)
			out = append(out, o)
			return err
		})
	return out, wrap(err, "owners")
}

func (r reader) Certificate(ctx context.Context, issuerID string, serial *big.Int) (store.Certificate, error) {
	if err := store.CheckSerial(serial); err != nil {
		return store.Certificate{}, err
	}
	row := r.q.QueryRow(ctx, `SELECT `+certCols+` FROM certificates WHERE issuer_id = $1 AND serial = $2`,
		issuerID, serialArg(serial))
	c, err := scanCert(row)
	return c, notFound(err, "certificate")
}

func (r reader) CertificatesByDID(ctx context.Context, did string) ([]store.Certificate, error) {
	return r.certs(ctx, `SELECT `+certCols+` FROM certificates WHERE did = $1
		ORDER BY not_before, issuer_id, serial`, did)
}

func (r reader) RevokedCertificates(ctx context.Context, issuerID string) ([]store.Certificate, error) {
	out, err := r.certs(ctx, `SELECT `+certCols+` FROM certificates WHERE issuer_id = $1 AND state = 'revoked'`,
		issuerID)
	slices.SortFunc(out, func(a, b store.Certificate) int { return a.Serial.Cmp(b.Serial) })
	return out, err
}

func (r reader) certs(ctx context.Context, query, arg string) ([]store.Certificate, error) {
	var out []store.Certificate
	err := r.q.Query(ctx, query, []any{arg}, func(row Row) error {
		c, err := scanCert(row)
		out = append(out, c)
		return err
	})
	return out, wrap(err, "certificates")
}

func (r reader) DID(ctx context.Context, did string) (store.DIDState, error) {
	var s store.DIDState
	err := r.q.QueryRow(ctx, `SELECT did, version, created_at, updated_at, deactivated, deactivated_at
		FROM dids WHERE did = $1`, did).Scan(&s.DID, &s.Version, timeCol{&s.Created}, timeCol{&s.Updated},
		&s.Deactivated, timeCol{&s.DeactivatedAt})
	return s, notFound(err, "DID")
}

func (r reader) Events(ctx context.Context, did string) ([]store.Event, error) {
	var out []store.Event
	err := r.q.Query(ctx, `SELECT `+eventCols+` FROM did_events WHERE did = $1 ORDER BY version_id`,
		[]any{did}, func(row Row) error {
			e, err := scanEvent(row)
			out = append(out, e)
			return err
		})
	return out, wrap(err, "events")
}

func (r reader) CRL(ctx context.Context, issuerID string) (store.CRL, error) {
	var c store.CRL
	err := r.q.QueryRow(ctx, `SELECT issuer_id, number, this_update, next_update, der FROM crls
		WHERE issuer_id = $1`, issuerID).Scan(&c.IssuerID, &c.Number, timeCol{&c.ThisUpdate},
		timeCol{&c.NextUpdate}, &c.DER)
	return c, notFound(err, "CRL")
}

func scanOwner(row Row) (store.Owner, error) {
	var o store.Owner
	err := row.Scan(&o.ID, &o.OwnerKey, &o.CertDER, &o.TenantID, timeCol{&o.Created})
	return o, err
}

func scanCert(row Row) (store.Certificate, error) {
	var (
		c      store.Certificate
		state  string
		reason int64
	)
	err := row.Scan(&c.IssuerID, serialCol{&c.Serial}, &c.DID, &c.DER, timeCol{&c.NotBefore},
		timeCol{&c.NotAfter}, &state, timeCol{&c.RevokedAt}, &reason)
	c.State, c.Reason = store.CertState(state), store.RevocationReason(reason)
	return c, err
}

func scanEvent(row Row) (store.Event, error) {
	var (
		e    store.Event
		kind string
	)
	err := row.Scan(&e.DID, &e.VersionID, &kind, timeCol{&e.Time}, &e.IssuerID, serialCol{&e.Serial})
	e.Kind = store.EventKind(kind)
	return e, err
}

// notFound maps ErrNoRows to store.ErrNotFound and wraps other errors.
func notFound(err error, what string) error {
	if errors.Is(err, ErrNoRows) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, what)
	}
	return wrap(err, what)
}

func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: reading %s: %w", what, err)
}
