package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// Owner keys live under <data-dir>/owners: <id>.key is a PKCS#8 PEM file key,
// <id>.uri holds the URI of a key elsewhere (an HSM's "pkcs11:…").
const ownersDir = "owners"

const ownerUsage = `init --id ID [--key URI] [--tenant T] [--alg A] [--data-dir D] [--db DSN]

Creates a self-signed owner CA recorded in the store, whose key is a new file key
under <data-dir>/owners or the key at --key (a "pkcs11:" URI or a PEM file),
and prints the owner key (the last component of its did:kakunin identifiers).
A running 'kakunin serve' loads new owners when it restarts.`

func runOwner(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "owner", ownerUsage)
	id := fs.String("id", "", "owner id: letters, digits, '.', '_', '-'")
	keyURI := fs.String("key", "", "owner key URI (pkcs11:… or a PEM file); default a new file key under the data dir")
	tenant := fs.String("tenant", defaultTenant, "tenant whose tokens may act for the owner")
	algName := fs.String("alg", "Ed25519", "algorithm of a new key: Ed25519, ECDSA-P256, ECDSA-P384, RSA-2048, RSA-3072")
	dataDir := fs.String("data-dir", envOr(env, "KAKUNIN_DATA_DIR", "data"), "data directory (env KAKUNIN_DATA_DIR)")
	dsn := fs.String("db", env.getenv("KAKUNIN_DB"), "store DSN (env KAKUNIN_DB; default <data-dir>/kakunin.db)")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "init" {
		fs.Usage()
		return usageError{"the only owner command is init"}
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *id == "" || fs.NArg() > 0 {
		return usageError{"owner init needs --id and no arguments"}
	}
	alg, err := keys.ParseAlgorithm(*algName)
	if err != nil {
		return usageError{err.Error()}
	}
	if *dsn == "" {
		*dsn = filepath.Join(*dataDir, "kakunin.db")
	}
	info, err := initOwner(ctx, ownerSpec{dataDir: *dataDir, dsn: *dsn, id: *id, tenant: *tenant, keyURI: *keyURI, alg: alg})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "owner %s\nowner key %s\n", info.ID, info.Multikey)
	return nil
}

type ownerSpec struct {
	dataDir, dsn, id, tenant, keyURI string
	alg                              keys.Algorithm
}

func initOwner(ctx context.Context, o ownerSpec) (*ca.OwnerInfo, error) {
	if err := os.MkdirAll(filepath.Join(o.dataDir, ownersDir), 0o700); err != nil {
		return nil, err
	}
	db, err := backend.Open(ctx, o.dsn, backend.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	defer db.Close()
	authority, err := ca.New(db, ca.Options{BaseURL: "http://localhost"})
	if err != nil {
		return nil, err
	}
	signer, err := createOwnerKey(ctx, o)
	if err != nil {
		return nil, err
	}
	defer signer.Close()
	return authority.InitOwner(ctx, ca.OwnerRequest{ID: o.id, TenantID: o.tenant, Signer: signer})
}

// createOwnerKey makes the owner key (or opens the one at o.keyURI) and records
// where it is under the owners directory.
func createOwnerKey(ctx context.Context, o ownerSpec) (keys.Signer, error) {
	if strings.ContainsAny(o.id, `/\`) || o.id == "." || o.id == ".." {
		return nil, usageError{fmt.Sprintf("invalid owner id %q", o.id)}
	}
	base := filepath.Join(o.dataDir, ownersDir, o.id)
	if o.keyURI == "" {
		return keys.Generate(ctx, base+".key", o.alg)
	}
	signer, err := openOrGenerate(ctx, o.keyURI, o.alg)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(base+".uri", []byte(o.keyURI+"\n"), 0o600); err != nil {
		return nil, errors.Join(err, signer.Close())
	}
	return signer, nil
}

// loadOwners loads into the CA every owner with a key under the owners directory.
// A key whose owner the store does not record is skipped with a warning.
func (s *service) loadOwners(ctx context.Context) error {
	entries, err := os.ReadDir(filepath.Join(s.cfg.DataDir, ownersDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		id, uri, ok, err := ownerKeyURI(filepath.Join(s.cfg.DataDir, ownersDir), e.Name())
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := s.loadOwner(ctx, id, uri); err != nil {
			return fmt.Errorf("owner %s: %w", id, err)
		}
	}
	return nil
}

// ownerKeyURI reads one entry of the owners directory.
func ownerKeyURI(dir, name string) (id, uri string, ok bool, err error) {
	if id, ok = strings.CutSuffix(name, ".key"); ok {
		return id, filepath.Join(dir, name), true, nil
	}
	if id, ok = strings.CutSuffix(name, ".uri"); ok {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return id, strings.TrimSpace(string(b)), err == nil, err
	}
	return "", "", false, nil
}

func (s *service) loadOwner(ctx context.Context, id, uri string) error {
	signer, err := keys.Open(ctx, uri)
	if err != nil {
		return err
	}
	err = s.ca.LoadOwner(ctx, id, signer)
	if errors.Is(err, ca.ErrUnknownOwner) {
		s.log.Warn("owner key without a recorded owner; skipped", "owner", id)
		return signer.Close()
	}
	if err != nil {
		return errors.Join(err, signer.Close())
	}
	s.signers = append(s.signers, signer)
	return nil
}

func envOr(env *cliEnv, name, def string) string {
	if v := env.getenv(name); v != "" {
		return v
	}
	return def
}
