package issuer

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/store"
)

// sqlStore adapts a store.DB (store/sqlite, store/postgres) to Store.
type sqlStore struct {
	db     store.DB
	creds  store.CredentialReader
	status store.StatusReader
}

// NewSQLStore returns the Store of a store.DB whose backend keeps credentials, status lists
// and the audit log (both SQL backends do). It fails with an error wrapping store.ErrSchema
// otherwise.
func NewSQLStore(db store.DB) (Store, error) {
	creds, ok1 := db.(store.CredentialReader)
	status, ok2 := db.(store.StatusReader)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%w: the store keeps no credentials or status lists", store.ErrSchema)
	}
	return &sqlStore{db: db, creds: creds, status: status}, nil
}

func (s *sqlStore) Tx(ctx context.Context, fn func(Tx) error) error {
	return s.db.Tx(ctx, func(tx store.Tx) error {
		ctx, ok := tx.(store.CredentialTx)
		if !ok {
			return fmt.Errorf("%w: the store keeps no credentials", store.ErrSchema)
		}
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		return fn(sqlTx{CredentialTx: ctx, AuditTx: atx})
	})
}

func (s *sqlStore) Credential(ctx context.Context, id string) (store.Credential, error) {
	return s.creds.Credential(ctx, id)
}

func (s *sqlStore) CredentialsBySubject(ctx context.Context, did string) ([]store.Credential, error) {
	return s.creds.CredentialsBySubject(ctx, did)
}

func (s *sqlStore) StatusList(ctx context.Context, id string) (store.StatusList, error) {
	return s.status.StatusList(ctx, id)
}

// StatusListVersion implements store.StatusVersionReader when the backend does, and reads
// the whole list otherwise.
func (s *sqlStore) StatusListVersion(ctx context.Context, id string) (int64, error) {
	if v, ok := s.status.(store.StatusVersionReader); ok {
		return v.StatusListVersion(ctx, id)
	}
	l, err := s.status.StatusList(ctx, id)
	return l.Version, err
}

// sqlTx joins the credential and audit views of one store transaction.
type sqlTx struct {
	store.CredentialTx
	store.AuditTx
}

func (t sqlTx) Credential(ctx context.Context, id string) (store.Credential, error) {
	return t.CredentialTx.Credential(ctx, id)
}

var _ Tx = sqlTx{}
