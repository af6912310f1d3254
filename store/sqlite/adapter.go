package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/kakunin-dev/kakunin/store/internal/sqlstore"
)

// stmts caches prepared statements of a pool: SQLite spends most of a small
// transaction's time parsing SQL, and database/sql does not cache by itself.
type stmts struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmts(db *sql.DB) *stmts { return &stmts{db: db, m: map[string]*sql.Stmt{}} }

// get returns the statement for query, preparing it on first use. The queries
// are the fixed set in sqlstore, so the cache stays small.
func (c *stmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[query]; ok {
		return s, nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = s
	return s, nil
}

func (c *stmts) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, s := range c.m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// querier adapts a pool's cached statements, optionally bound to a transaction,
// to sqlstore.Querier.
type querier struct {
	c  *stmts
	tx *sql.Tx // nil outside a transaction
}

func (q querier) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s, err := q.c.get(ctx, query)
	if err != nil || q.tx == nil {
		return s, err
	}
	return q.tx.StmtContext(ctx, s), nil
}

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	s, err := q.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	res, err := s.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	s, err := q.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return sqlRow{s.QueryRowContext(ctx, args...)}
}

func (q querier) Query(ctx context.Context, query string, args []any, each func(sqlstore.Row) error) error {
	s, err := q.stmt(ctx, query)
	if err != nil {
		return err
	}
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// conn adapts a *sql.Tx to sqlstore.Conn.
type conn struct{ querier }

// begin starts a write transaction on the writer pool (BEGIN IMMEDIATE: see
// _txlock in openPool).
func (c *stmts) begin(ctx context.Context) (sqlstore.Conn, error) {
	tx, err := c.db.BeginTx(ctx, nil)
	return conn{querier{c, tx}}, err
}

func (c conn) Commit(context.Context) error { return c.tx.Commit() }

func (c conn) Rollback(context.Context) error {
	if err := c.tx.Rollback(); !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}
