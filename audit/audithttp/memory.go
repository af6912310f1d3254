package audithttp

import (
	"context"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
)

// Memory returns the [Store] of an in-memory log, for tests and demos.
func Memory(s *memstore.Store) Store { return memory{s} }

type memory struct{ s *memstore.Store }

func (m memory) View(ctx context.Context, fn func(audit.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(m.s)
}

func (m memory) Update(ctx context.Context, fn func(audit.CheckpointStore) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return m.s.Update(func(tx audit.Tx) error { return fn(tx) })
}
