package main

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/store"
)

// auditKeyFile is the default log key under the data directory.
const auditKeyFile = "audit-log.key"

// auditKeyURI returns the key URI of the current log key: --audit-key, or the
// file under the data directory.
func (c serveConfig) auditKeyURI() string {
	if c.AuditKey != "" {
		return c.AuditKey
	}
	return filepath.Join(c.DataDir, auditKeyFile)
}

// checkpointer opens the audit log keys and returns the log's checkpointer; the
// origin is the base URL's host + "/audit". The default key file is created at
// first start; a key named by --audit-key or --audit-retired-keys must exist.
// When the keys differ from those that signed the latest checkpoint, it
// records the change in the log (audit.key.rotated).
func (s *service) checkpointer(ctx context.Context) (*audit.Checkpointer, error) {
	origin, err := logOrigin(s.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	key, err := s.openAuditKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit log key: %w", err)
	}
	var retired []crypto.Signer
	for i, uri := range s.cfg.AuditRetiredKeys.list() {
		k, err := keys.Open(ctx, uri)
		if err != nil {
			return nil, fmt.Errorf("--audit-retired-keys: key %d: %w", i, err)
		}
		s.signers = append(s.signers, k)
		retired = append(retired, k)
	}
	cp, err := audit.NewCheckpointer(origin, key, retired...)
	if err != nil {
		return nil, fmt.Errorf("audit log keys: %w", err)
	}
	if err := s.recordLogKeys(ctx, cp); err != nil {
		return nil, err
	}
	return cp, nil
}

// openAuditKey opens the current log key, generating the default file when
// absent.
func (s *service) openAuditKey(ctx context.Context) (keys.Signer, error) {
	var (
		key keys.Signer
		err error
	)
	if s.cfg.AuditKey != "" {
		key, err = keys.Open(ctx, s.cfg.AuditKey)
	} else {
		key, err = openOrGenerate(ctx, s.cfg.auditKeyURI(), keys.Ed25519)
	}
	if err != nil {
		return nil, err
	}
	s.signers = append(s.signers, key)
	return key, nil
}

// recordLogKeys appends an audit.key.rotated entry, and signs a checkpoint with
// every key, when the keys changed since the latest checkpoint was signed.
func (s *service) recordLogKeys(ctx context.Context, cp *audit.Checkpointer) error {
	var recorded bool
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		recorded, err = cp.RecordKeys(ctx, atx, s.now())
		return err
	})
	if errors.Is(err, audit.ErrBadSignature) {
		return fmt.Errorf("audit log keys: the latest checkpoint is signed by none of them; "+
			"keep the former key in --audit-retired-keys until a checkpoint is signed with both: %w", err)
	}
	if err != nil {
		return fmt.Errorf("recording audit log keys: %w", err)
	}
	if recorded {
		s.log.Info("audit log keys changed; recorded in the audit log", "keys", len(cp.VerifierKeys()))
	}
	return nil
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
