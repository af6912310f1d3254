// Package sqlite is the embedded store backend: one SQLite file (pure Go,
// modernc.org/sqlite), in WAL mode with synchronous=FULL so that a transaction
// is on disk when DB.Tx returns, even across power loss or kill -9.
//
// Call [Open]; the result is a store.DB. One transaction at a time writes (SQLite
// has a single writer anyway), group-committing concurrent callers' transactions;
// a small pool of read-only connections serves reads meanwhile.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/internal/groupcommit"
	"github.com/kakunin-dev/kakunin/store/internal/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune Open. The zero value is the recommended setting.
type Options struct {
	// MaxBatch bounds the transactions group-committed together; 0 means 256 and
	// 1 commits each transaction on its own.
	MaxBatch int
	// ReadConns is the size of the read pool; 0 means 4.
	ReadConns int
	// BusyTimeout is how long a connection waits for another process's lock;
	// 0 means 5 s.
	BusyTimeout time.Duration
	// Rand is the source of certificate serials; nil means crypto/rand.
	Rand io.Reader
}

// Open opens (creating if needed) the SQLite database at path, applies pending
// migrations and returns it. The path must not contain '?'.
func Open(ctx context.Context, path string, opts Options) (store.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%w: SQLite path %q is empty or contains '?' or '#'", store.ErrInvalid, path)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	// The writer pool has a second connection only so that a statement can be
	// prepared while a transaction holds the first; the single committer still
	// runs one write transaction at a time.
	writer, err := openPool(ctx, path, busy, false, 2)
	if err != nil {
		return nil, err
	}
	readers, err := openPool(ctx, path, busy, true, cmpOr(opts.ReadConns, 4))
	if err != nil {
		return nil, errors.Join(err, writer.Close())
	}
	ws, rs := newStmts(writer), newStmts(readers)
	closeAll := func() error {
		return errors.Join(ws.close(), rs.close(), readers.Close(), writer.Close())
	}
	if err := migrate(ctx, writer); err != nil {
		return nil, errors.Join(err, closeAll())
	}
	d := &sqlstore.Dialect{Time: unixMicro, Rand: opts.Rand}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	gc := groupcommit.Options{MaxBatch: opts.MaxBatch}
	return sqlstore.New(querier{c: rs}, ws.begin, d, gc, closeAll), nil
}

// openPool opens connections with the durability settings, and checks that
// SQLite took them (a driver that ignored a pragma would silently lose writes).
func openPool(ctx context.Context, path string, busy time.Duration, readOnly bool, conns int) (*sql.DB, error) {
	dsn := "file:" + path + "?_txlock=immediate" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busy.Milliseconds()) +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)"
	if readOnly {
		dsn += "&_pragma=query_only(ON)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: opening SQLite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	// Switching a new file to WAL needs an exclusive lock and fails with
	// SQLITE_BUSY, without waiting, while another process opens the same file.
	deadline := time.Now().Add(busy)
	for err = checkPragmas(ctx, db); isBusy(err) && time.Now().Before(deadline); err = checkPragmas(ctx, db) {
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("store: opening SQLite %s: %w", path, err), db.Close())
	}
	return db, nil
}

func checkPragmas(ctx context.Context, db *sql.DB) error {
	var mode string
	var sync, fk int
	err := db.QueryRowContext(ctx, `SELECT journal_mode, synchronous, foreign_keys
		FROM pragma_journal_mode, pragma_synchronous, pragma_foreign_keys`).Scan(&mode, &sync, &fk)
	if err == nil && (mode != "wal" || sync != 2 || fk != 1) {
		err = fmt.Errorf("got journal_mode=%s synchronous=%d foreign_keys=%d, want wal, 2 (FULL), 1", mode, sync, fk)
	}
	return err
}

// isBusy reports SQLITE_BUSY (primary result code 5).
func isBusy(err error) bool {
	var e interface{ Code() int }
	return errors.As(err, &e) && e.Code()&0xff == 5
}

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)`

// migrate applies the embedded migrations. Each runs under BEGIN IMMEDIATE, the
// database-wide write lock, so processes that open the file at once take turns.
func migrate(ctx context.Context, writer *sql.DB) error {
	ms, err := sqlstore.LoadMigrations(migrations, "migrations")
	if err != nil {
		return err
	}
	// Migrations run once: their statements are not worth caching.
	begin := func(ctx context.Context) (sqlstore.Conn, error) {
		tx, err := writer.BeginTx(ctx, nil)
		return migrationConn{tx}, err
	}
	return sqlstore.Migrate(ctx, begin, createMigrations, ms)
}

func unixMicro(t time.Time) any { return t.UnixMicro() }

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
