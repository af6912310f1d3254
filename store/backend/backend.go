// Package backend opens the store backend that a DSN names, so that callers
// (cmd/kakunin) need not import each backend themselves. Call [Open].
package backend

import (
	"context"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/sqlite"
)

// Options tune the backend that Open chooses. The zero value is the recommended setting.
type Options struct {
	SQLite   sqlite.Options
	Postgres postgres.Options
}

// Kind names a backend.
type Kind string

// Backends.
const (
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
)

// KindOf reports which backend dsn names: a postgres:// or postgresql:// URL names
// PostgreSQL; anything else is the path of a SQLite file (a "file:" prefix is
// allowed and removed by Open).
func KindOf(dsn string) Kind {
	lower := strings.ToLower(dsn)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open opens the store named by dsn (see KindOf) and applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (store.DB, error) {
	if dsn == "" {
		return nil, fmt.Errorf("%w: empty store DSN", store.ErrInvalid)
	}
	if KindOf(dsn) == Postgres {
		return postgres.Open(ctx, dsn, opts.Postgres)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "file:"), opts.SQLite)
}
