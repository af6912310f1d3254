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
	status statusReader
}

// statusReader reads status lists whole, and their versions alone.
type statusReader interface {
	store.StatusReader
	store.StatusVersionReader
}

// NewSQLStore returns the Store of a store.DB whose backend keeps credentials, status lists
// and the audit log (both SQL backends do). It fails with an error wrapping store.ErrSchema
// otherwise.
func NewSQLStore(db store.DB) (Store, error) {
	creds, ok1 := db.(store.CredentialReader)
	status, ok2 := db.(statusReader)
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

func (s *sqlStore) SubjectGenerations(ctx context.Context, dids []string) (map[string]int64, error) {
	return s.creds.SubjectGenerations(ctx, dids)
}

func (s *sqlStore) StatusList(ctx context.Context, id string) (store.StatusList, error) {
	return s.status.StatusList(ctx, id)
}

// StatusListVersion implements store.StatusVersionReader.
func (s *sqlStore) StatusListVersion(ctx context.Context, id string) (int64, error) {
	return s.status.StatusListVersion(ctx, id)
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
