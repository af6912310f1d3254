package sqlstore

import (
	"context"
	"errors"
	"sync"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/internal/groupcommit"
)

// DB implements store.DB: reads go to a read Querier, writes through a
// group committer over transactions from begin.
type DB struct {
	reader
	commits *groupcommit.Committer
	close   func() error
	once    sync.Once
	err     error
}

var _ store.DB = (*DB)(nil)

// New returns a DB reading through read and writing through begin. closeFn
// releases the backend's connections after the committer has drained.
func New(read Querier, begin BeginFunc, d *Dialect, opts groupcommit.Options, closeFn func() error) *DB {
	db := &DB{reader: reader{q: read, d: d}, close: closeFn}
	db.commits = groupcommit.New(runner(begin, d), opts)
	return db
}

// Tx implements store.DB.
func (db *DB) Tx(ctx context.Context, fn func(store.Tx) error) error {
	return db.commits.Do(ctx, fn)
}

// Close implements store.DB.
func (db *DB) Close() error {
	db.once.Do(func() {
		db.commits.Close()
		db.err = db.close()
	})
	return db.err
}

// runner adapts begin to a groupcommit.RunFunc.
func runner(begin BeginFunc, d *Dialect) groupcommit.RunFunc {
	return func(ctx context.Context, fns []func(store.Tx) error) (int, error) {
		conn, err := begin(ctx)
		if err != nil {
			return -1, err
		}
		t := tx{reader: reader{q: conn, d: d}, tree: &treeState{}, held: newHeldWrites()}
		for i, fn := range fns {
			t.held.fn = i
			if err := fn(t); err != nil {
				if t.held.failedFn >= 0 {
					i = t.held.failedFn // a flush in fn found an earlier function's conflict
				}
				return i, errors.Join(err, rollback(conn))
			}
		}
		if i, err := t.flushHeld(ctx); err != nil {
			return i, errors.Join(err, rollback(conn))
		}
		if err := t.flushLeaves(ctx); err != nil {
			return -1, errors.Join(err, rollback(conn))
		}
		if err := conn.Commit(ctx); err != nil {
			return -1, errors.Join(err, rollback(conn))
		}
		return -1, nil
	}
}

// rollback ends a failed transaction. Its own error is of interest only when it
// is not the usual "already finished" kind, which backends report as nil.
func rollback(conn Conn) error {
	return conn.Rollback(context.Background())
}
