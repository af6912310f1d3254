// Package postgres is the store backend for deployments with several replicas:
// PostgreSQL through a pgx connection pool. Serial allocation, versionIds and CRL
// numbers stay unique and ordered when many processes write at once, and
// migrations are applied by one process at a time (under an advisory lock).
//
// Call [Open]; the result is a store.DB. A commit returns after PostgreSQL has made
// it durable (synchronous_commit, on by default, must stay on).
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/internal/groupcommit"
	"github.com/kakunin-dev/kakunin/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune Open. The zero value is the recommended setting.
type Options struct {
	// MaxBatch bounds the transactions group-committed together; 0 means 256 and
	// 1 commits each transaction on its own.
	MaxBatch int
	// Writers is the number of batches committed at once; 0 means 1. More than one
	// lets two batches take the audit tree lock and a registry row in opposite
	// orders, which PostgreSQL resolves only after deadlock_timeout (then retried).
	Writers int
	// MaxConns bounds the pool; 0 means pgx's default (or pool_max_conns in the URL).
	MaxConns int32
	// Rand is the source of certificate serials; nil means crypto/rand.
	Rand io.Reader
}

// Open connects to the PostgreSQL database named by a postgres:// URL (or a
// key=value DSN), applies pending migrations to the schema that search_path
// selects, and returns the store.
func Open(ctx context.Context, dsn string, opts Options) (store.DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: PostgreSQL DSN: %w", store.ErrInvalid, err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connecting to PostgreSQL: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	d := &sqlstore.Dialect{Time: microTime, Rand: opts.Rand, AppendLeaves: appendLeaves}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	begin := func(ctx context.Context) (sqlstore.Conn, error) {
		t, err := pool.Begin(ctx)
		return pgxTx{pgxQuerier{t}, t}, err
	}
	writers := opts.Writers
	if writers <= 0 {
		writers = 1
	}
	gc := groupcommit.Options{MaxBatch: opts.MaxBatch, Workers: writers, Retryable: transient}
	return sqlstore.New(pgxQuerier{pool}, begin, d, gc, func() error { pool.Close(); return nil }), nil
}

// transient reports the failures PostgreSQL resolves by aborting one transaction,
// after which running it again is expected to succeed: serialization_failure
// (40001) and deadlock_detected (40P01).
func transient(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// appendLeaves is sqlstore.Dialect.AppendLeaves: consecutive entries and their
// hashes in one statement (one round trip). The hashes are inserted only if the
// entries were, so leaves that do not start at the end of the tree change
// nothing; the trigger audit_entries_grow runs at the end of the statement.
const appendLeaves = `WITH entry AS (
	INSERT INTO audit_entries (idx, entry, leaf_hash, subject)
	SELECT $1::bigint + e.n - 1, e.entry, e.leaf_hash, NULLIF(e.subject, '')
	FROM audit_tree, unnest($2::bytea[], $3::bytea[], $4::text[]) WITH ORDINALITY AS e (entry, leaf_hash, subject, n)
	WHERE audit_tree.id = 1 AND audit_tree.size = $1
	RETURNING idx)
INSERT INTO audit_hashes (storage_idx, hash)
SELECT $5::bigint + h.n - 1, h.hash FROM unnest($6::bytea[]) WITH ORDINALITY AS h (hash, n)
WHERE EXISTS (SELECT 1 FROM entry)`

// microTime stores times at timestamptz precision, truncated as SQLite's are.
func microTime(t time.Time) any { return t.Truncate(time.Microsecond) }

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    bigint PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrate applies the embedded migrations while holding a session advisory lock
// keyed by the schema, so that processes starting at once apply each migration once.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := sqlstore.LoadMigrations(migrations, "migrations")
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: connecting to PostgreSQL: %w", err)
	}
	defer conn.Release()
	var schema *string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("store: reading current schema: %w", err)
	}
	if schema == nil {
		return fmt.Errorf("%w: no schema on the search_path exists", store.ErrSchema)
	}
	key := lockKey(*schema)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("store: locking schema for migration: %w", err)
	}
	begin := func(ctx context.Context) (sqlstore.Conn, error) {
		t, err := conn.Begin(ctx)
		return pgxTx{pgxQuerier{t}, t}, err
	}
	err = sqlstore.Migrate(ctx, begin, createMigrations, ms)
	_, unlockErr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return errors.Join(err, unlockErr)
}

// lockKey is the advisory lock of a schema's migrations: FNV-1a of a fixed prefix
// and the schema name, so that stores in different schemas do not wait on each other.
func lockKey(schema string) int64 {
	h := uint64(14695981039346656037)
	for _, b := range []byte("kakunin/store/migrate/" + schema) {
		h ^= uint64(b)
		h *= 1099511628211
	}
	return int64(h)
}
