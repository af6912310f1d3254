package sqlstore

import (
	"context"

	"github.com/kakunin-dev/kakunin/store"
)

var _ store.StatusVersionReader = reader{}

// StatusListVersion implements store.StatusVersionReader with a primary-key lookup of one
// column. SetStatus changes an entry and raises the version in one transaction, so an
// unchanged version means unchanged bits, also when other processes share the database.
func (r reader) StatusListVersion(ctx context.Context, id string) (int64, error) {
	var v int64
	err := r.q.QueryRow(ctx, `SELECT version FROM status_lists WHERE id = $1`, id).Scan(&v)
	return v, notFound(err, "status list version")
}
