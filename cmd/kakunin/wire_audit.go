package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/store"
)

// auditKeyFile is the log key under the data directory.
const auditKeyFile = "audit-log.key"

// checkpointer opens (or creates, at first start) the audit log key and returns
// the log's checkpointer; the origin is the base URL's host + "/audit".
func (s *service) checkpointer(ctx context.Context) (*audit.Checkpointer, error) {
	origin, err := logOrigin(s.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	key, err := openOrGenerate(ctx, filepath.Join(s.cfg.DataDir, auditKeyFile), keys.Ed25519)
	if err != nil {
		return nil, fmt.Errorf("audit log key: %w", err)
	}
	s.signers = append(s.signers, key)
	return audit.NewCheckpointer(origin, key)
}

// openOrGenerate opens the file key at path, generating it when absent.
func openOrGenerate(ctx context.Context, path string, alg keys.Algorithm) (keys.Signer, error) {
	k, err := keys.Open(ctx, path)
	if errors.Is(err, keys.ErrKeyNotFound) || errors.Is(err, os.ErrNotExist) {
		return keys.Generate(ctx, path, alg)
	}
	return k, err
}

// sqlAudit adapts an SQL store to the audit log handlers: reads outside a
// transaction, checkpoint signing inside one.
type sqlAudit struct{ db store.DB }

func (a sqlAudit) View(ctx context.Context, fn func(audit.Reader) error) error {
	r, ok := a.db.(audit.Reader)
	if !ok {
		return fmt.Errorf("%w: this store keeps no audit log", store.ErrSchema)
	}
	return fn(r)
}

func (a sqlAudit) Update(ctx context.Context, fn func(audit.CheckpointStore) error) error {
	return a.db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		return fn(atx)
	})
}
