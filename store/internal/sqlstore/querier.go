// Package sqlstore implements store.DB once, over the small Querier interface that
// the SQLite and PostgreSQL backends adapt their drivers to. Both backends share
// these queries: they use only SQL that SQLite and PostgreSQL read alike
// ($n parameters, INSERT … ON CONFLICT, RETURNING); the few statements that
// differ come from the backend's Dialect.
package sqlstore

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNoRows is what a backend's Row.Scan returns when the query matched nothing.
var ErrNoRows = errors.New("sqlstore: no rows")

// Querier runs statements on a connection pool or inside a transaction.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// QueryRow runs a query whose first row Scan reads; Scan returns ErrNoRows
	// when there is none.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query and calls each for every row.
	Query(ctx context.Context, query string, args []any, each func(Row) error) error
}

// Row reads the columns of one result row.
type Row interface {
	Scan(dest ...any) error
}

// Conn is a transaction in progress.
type Conn interface {
	Querier
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// BeginFunc starts a read-write transaction.
type BeginFunc func(ctx context.Context) (Conn, error)

// Dialect holds what differs between the backends.
type Dialect struct {
	// Time converts a time to the column's stored form (time.Time for PostgreSQL
	// timestamptz, Unix microseconds for SQLite).
	Time func(time.Time) any
	// Rand is the source of serial numbers.
	Rand io.Reader
	// AppendLeaves, when set, records consecutive audit leaves in one
	// statement: only if $1 is the tree size, it inserts the entries $2 (a list
	// of byte strings) with leaf hashes $3 and subjects $4 (a list of strings,
	// "" for NULL) at indexes $1, $1+1, …, and then their hashes $6 at storage
	// indexes $5, $5+1, …; it reports the rows of audit_hashes it inserted.
	// Empty means two statements per leaf, written at once.
	AppendLeaves string
}
