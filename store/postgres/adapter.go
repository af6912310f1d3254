package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kakunin-dev/kakunin/store/internal/sqlstore"
)

// pgxQuerier adapts a pool, a connection or a transaction to sqlstore.Querier.
type pgxQuerier struct {
	q interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	}
}

func (p pgxQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (p pgxQuerier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return pgxRow{p.q.QueryRow(ctx, query, args...)}
}

func (p pgxQuerier) Query(ctx context.Context, query string, args []any, each func(sqlstore.Row) error) error {
	rows, err := p.q.Query(ctx, query, args...)
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

type pgxRow struct{ r pgx.Row }

func (r pgxRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return err
}

// pgxTx adapts a pgx.Tx to sqlstore.Conn.
type pgxTx struct {
	pgxQuerier
	t pgx.Tx
}

func (t pgxTx) Commit(ctx context.Context) error { return t.t.Commit(ctx) }

func (t pgxTx) Rollback(ctx context.Context) error {
	if err := t.t.Rollback(ctx); !errors.Is(err, pgx.ErrTxClosed) {
		return err
	}
	return nil
}
