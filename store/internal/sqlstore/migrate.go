package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/store"
)

// Migration is one versioned schema change, read from a file NNNN_name.sql.
type Migration struct {
	Version int64
	Name    string
	SQL     string
}

// LoadMigrations reads the *.sql files of dir in fsys, ordered by version.
// Versions must be unique and positive.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m, err := parseMigrationName(e.Name())
		if err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m.SQL = string(b)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return int(a.Version - b.Version) })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("%w: two migrations numbered %d", store.ErrSchema, out[i].Version)
		}
	}
	return out, nil
}

func parseMigrationName(name string) (Migration, error) {
	num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
	v, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || v <= 0 || rest == "" {
		return Migration{}, fmt.Errorf("%w: migration file %q is not NNNN_name.sql", store.ErrSchema, name)
	}
	return Migration{Version: v, Name: rest}, nil
}

// Migrate applies each migration that is not yet recorded in schema_migrations,
// each in its own transaction together with its record. createTable creates
// schema_migrations if absent; it runs in every transaction, so that a backend
// whose begin takes a database-wide write lock (SQLite's BEGIN IMMEDIATE) needs no
// other lock. A backend without one must hold a lock around Migrate.
func Migrate(ctx context.Context, begin BeginFunc, createTable string, ms []Migration) error {
	for _, m := range ms {
		if err := applyOne(ctx, begin, createTable, m, ms[len(ms)-1].Version); err != nil {
			return fmt.Errorf("store: migration %d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func applyOne(ctx context.Context, begin BeginFunc, createTable string, m Migration, known int64) (err error) {
	conn, err := begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, conn.Rollback(context.Background()))
		}
	}()
	if _, err := conn.Exec(ctx, createTable); err != nil {
		return err
	}
	var newest, applied int64
	err = conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0),
		COALESCE(SUM(CASE WHEN version = $1 THEN 1 ELSE 0 END), 0) FROM schema_migrations`, m.Version).
		Scan(&newest, &applied)
	switch {
	case err != nil:
		return err
	case newest > known:
		return fmt.Errorf("%w: the database has migration %d, this program knows up to %d",
			store.ErrSchema, newest, known)
	case applied > 0:
		return conn.Rollback(ctx)
	}
	if _, err := conn.Exec(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`,
		m.Version, m.Name); err != nil {
		return err
	}
	return conn.Commit(ctx)
}
