package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kakunin-dev/kakunin/store/internal/sqlstore"
)

// migrationConn runs migration statements (several per Exec) without preparing them.
type migrationConn struct{ tx *sql.Tx }

func (c migrationConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c migrationConn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return sqlRow{c.tx.QueryRowContext(ctx, query, args...)}
}

func (c migrationConn) Query(ctx context.Context, query string, args []any, each func(sqlstore.Row) error) error {
	rows, err := c.tx.QueryContext(ctx, query, args...)
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

func (c migrationConn) Commit(context.Context) error { return c.tx.Commit() }

func (c migrationConn) Rollback(context.Context) error {
	if err := c.tx.Rollback(); !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}
