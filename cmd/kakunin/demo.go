package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/store"
)

// The demo: an owner "demo" and one agent whose files live in <data-dir>/demo.
const (
	demoOwner = "demo"
	demoDir   = "demo"
)

// demoModel is the demo agent's built-in "model": its digest is the model digest.
const demoModel = "kakunin demo model: a stand-in for real weights, hashed like them\n"

// demoAgent is what the demo created and the operator can try.
type demoAgent struct {
	ID     kakunin.ID
	Serial string // hex, of the agent's current certificate
	Dir    string // its files: model.bin, prompt.json, agent.key, agent.pem
	KeyDID string // did:key of the agent's own key
}

// ensureDemo creates the demo owner and agent at first start and enrols the agent
// again when it has no good certificate left (expired or revoked; a revoked key is
// replaced). It is idempotent: the agent's model and prompt manifest are kept
// under the data directory, so its DID never changes.
func (s *service) ensureDemo(ctx context.Context) (*demoAgent, error) {
	owner, err := s.ensureDemoOwner(ctx)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(s.cfg.DataDir, demoDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	salt := rand.Reader
	if s.cfg.DemoPublicOwner {
		salt = publicDemoSalt()
	}
	id, err := demoID(dir, owner, salt)
	if err != nil {
		return nil, err
	}
	d := &demoAgent{ID: id, Dir: dir}
	certs, err := s.db.CertificatesByDID(ctx, id.String())
	if err != nil {
		return nil, err
	}
	signer, err := demoKey(ctx, filepath.Join(dir, "agent.key"), certs)
	if err != nil {
		return nil, err
	}
	defer signer.Close()
	if d.KeyDID, err = keyDID(signer); err != nil {
		return nil, err
	}
	if d.Serial = currentSerial(certs, s.now()); d.Serial != "" {
		return d, nil
	}
	csr, err := agentCSR(signer)
	if err != nil {
		return nil, err
	}
	issued, err := s.ca.Enroll(ctx, ca.EnrollRequest{Owner: demoOwner, Tenant: defaultTenant, CSR: csr, DID: id.String()})
	if err != nil {
		return nil, err
	}
	d.Serial = issued.Certificate.SerialNumber.Text(16)
	return d, os.WriteFile(filepath.Join(dir, "agent.pem"), issued.PEM(), 0o644)
}

// ensureDemoOwner returns the demo owner, creating it with a file key when the
// store does not record it.
func (s *service) ensureDemoOwner(ctx context.Context) (*ca.OwnerInfo, error) {
	if info, err := s.ca.Owner(demoOwner); err == nil {
		if s.cfg.DemoPublicOwner {
			return info, checkPublicDemoOwner(info.Multikey)
		}
		return info, nil
	}
	if _, err := s.db.Owner(ctx, demoOwner); !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("owner %q is recorded but its key is not under %s: %w", demoOwner,
			filepath.Join(s.cfg.DataDir, ownersDir), errors.Join(err, ca.ErrUnknownOwner))
	}
	if err := os.MkdirAll(filepath.Join(s.cfg.DataDir, ownersDir), 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(s.cfg.DataDir, ownersDir, demoOwner+".key")
	if s.cfg.DemoPublicOwner {
		if err := writePublicDemoKey(path); err != nil {
			return nil, err
		}
	}
	signer, err := openOrGenerate(ctx, path, keys.Ed25519)
	if err != nil {
		return nil, err
	}
	s.signers = append(s.signers, signer)
	return s.ca.InitOwner(ctx, ca.OwnerRequest{ID: demoOwner, TenantID: defaultTenant, Signer: signer})
}

// demoID writes the demo model and a prompt manifest with a salt read from salt the
// first time, and returns the DID they and the owner key make.
func demoID(dir string, owner *ca.OwnerInfo, salt io.Reader) (kakunin.ID, error) {
	modelPath, promptPath := filepath.Join(dir, "model.bin"), filepath.Join(dir, "prompt.json")
	if err := writeOnce(modelPath, func() ([]byte, error) { return []byte(demoModel), nil }); err != nil {
		return kakunin.ID{}, err
	}
	if err := writeOnce(promptPath, func() ([]byte, error) { return demoManifest(salt) }); err != nil {
		return kakunin.ID{}, err
	}
	model, err := kakunin.DigestModel(modelPath, kakunin.DigestOptions{})
	if err != nil {
		return kakunin.ID{}, err
	}
	data, err := readBounded(promptPath, kakunin.MaxPromptManifest)
	if err != nil {
		return kakunin.ID{}, err
	}
	m, err := kakunin.ParsePromptManifest(data)
	if err != nil {
		return kakunin.ID{}, err
	}
	prompt, err := m.Digest()
	if err != nil {
		return kakunin.ID{}, err
	}
	return kakunin.New(model, prompt, owner.Certificate.PublicKey)
}

func demoManifest(r io.Reader) ([]byte, error) {
	salt, err := kakunin.NewSalt(r)
	if err != nil {
		return nil, err
	}
	m := kakunin.PromptManifest{Salt: salt, SystemPrompt: "You are the kakunin demo agent. You answer questions about your own identity.",
		Tools:  []json.RawMessage{json.RawMessage(`{"name":"resolve_did","description":"resolve a DID"}`)},
		Config: json.RawMessage(`{"temperature":0}`)}
	return json.MarshalIndent(m, "", "  ")
}

// writeOnce creates path with the bytes make returns, unless it exists.
func writeOnce(path string, make func() ([]byte, error)) error {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return err
	}
	data, err := make()
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// currentSerial returns the serial of a good, unexpired certificate, or "".
func currentSerial(certs []store.Certificate, now time.Time) string {
	for _, c := range certs {
		if c.State == store.CertGood && now.Before(c.NotAfter) {
			return c.Serial.Text(16)
		}
	}
	return ""
}

// demoKey opens the demo agent's key, replacing it with a new one when a
// certificate for it was revoked: a revoked key is never certified again.
func demoKey(ctx context.Context, path string, certs []store.Certificate) (keys.Signer, error) {
	signer, err := openOrGenerate(ctx, path, keys.Ed25519)
	if err != nil || !revokedKey(certs, signer.Public()) {
		return signer, err
	}
	if err := errors.Join(signer.Close(), os.Remove(path)); err != nil {
		return nil, err
	}
	return keys.Generate(ctx, path, keys.Ed25519)
}

func revokedKey(certs []store.Certificate, pub crypto.PublicKey) bool {
	for _, c := range certs {
		cert, err := x509.ParseCertificate(c.DER)
		if c.State == store.CertRevoked && err == nil {
			if k, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && k.Equal(pub) {
				return true
			}
		}
	}
	return false
}

func keyDID(signer keys.Signer) (string, error) {
	d, err := key.New(signer.Public())
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

func (d *demoAgent) testIdentifiers() map[string][]string {
	return map[string][]string{kakunin.Method: {d.ID.String()}, "key": {d.KeyDID}}
}
