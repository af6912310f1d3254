package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/keys"
)

const renewUsage = `renew --server URL --owner ID [--dir DIR] [--revoke-old] [--token T] [--json]

Asks the CA for a new certificate for the same DID and key before the current one
(DIR/agent.pem) expires, proving possession of DIR/agent.key by signing the
renewal message; stores the new chain in DIR/agent.pem. The current certificate
stays valid until it expires unless --revoke-old has it revoked as superseded.`

const rotateUsage = `rotate --server URL --owner ID [--dir DIR] [--alg A] [--token T] [--json]

Makes a new key, asks the CA for a certificate for it under the same DID (the
request signed with the current DIR/agent.key), and has the current certificate
revoked as superseded, with the other certificates of the old key that the DID's
document lists. On success the new key becomes DIR/agent.key, the old one is kept
as DIR/agent.key.<old serial> and the new chain is in DIR/agent.pem. A failed
rotation leaves DIR/agent.key.new, which the next rotation reuses.`

// errKeyMismatch: DIR/agent.key is not the key of DIR/agent.pem.
var errKeyMismatch = errors.New("the agent key does not match its certificate")

// renewBody is the JSON body of POST /ca/owners/{owner}/renew.
type renewBody struct {
	SerialNumber string `json:"serialNumber"`
	CSR          string `json:"csr"`
	Time         string `json:"time"`
	Signature    string `json:"signature"`
	RevokeOld    bool   `json:"revokeOld,omitempty"`
}

func runAgentRenew(ctx context.Context, env *cliEnv, args []string) error {
	return runRenewal(ctx, env, args, false)
}

func runAgentRotate(ctx context.Context, env *cliEnv, args []string) error {
	return runRenewal(ctx, env, args, true)
}

func runRenewal(ctx context.Context, env *cliEnv, args []string, rotate bool) error {
	usage, name := renewUsage, "renew"
	if rotate {
		usage, name = rotateUsage, "rotate"
	}
	fs := newFlags(env, "agent", usage)
	conn := connFlags(fs, env)
	owner := fs.String("owner", "", "id of the owner that issued the certificate")
	dir := fs.String("dir", ".", "directory of agent.key and agent.pem")
	var algName *string
	revokeOld := new(bool)
	if rotate {
		algName = fs.String("alg", "", "algorithm of the new key (default: the current key's)")
	} else {
		revokeOld = fs.Bool("revoke-old", false, "revoke the current certificate (superseded) once renewed")
	}
	if err := conn.parse(fs, env, args); err != nil {
		return err
	}
	if *owner == "" {
		return usageError{"agent " + name + " needs --owner"}
	}
	s := renewSpec{server: conn.server, token: conn.token, owner: *owner, dir: *dir, rotate: rotate, revokeOld: rotate || *revokeOld, now: time.Now}
	if algName != nil && *algName != "" {
		alg, err := keys.ParseAlgorithm(*algName)
		if err != nil {
			return usageError{err.Error()}
		}
		s.alg = &alg
	}
	res, err := renewAgent(ctx, s)
	if res != nil {
		err = errors.Join(conn.print(env, res, res.text(filepath.Join(*dir, "agent.pem"))), err)
	}
	return err
}

type renewSpec struct {
	server, token, owner, dir string
	rotate, revokeOld         bool
	alg                       *keys.Algorithm // rotation only; nil keeps the current key's
	now                       func() time.Time
}

func renewAgent(ctx context.Context, s renewSpec) (*enrolled, error) {
	keyPath := filepath.Join(s.dir, "agent.key")
	current, err := readAgentCert(filepath.Join(s.dir, "agent.pem"))
	if err != nil {
		return nil, err
	}
	old, err := keys.Open(ctx, keyPath)
	if err != nil {
		return nil, err
	}
	defer old.Close()
	if !samePublic(old.Public(), current.PublicKey) {
		return nil, fmt.Errorf("%s: %w %s", keyPath, errKeyMismatch, filepath.Join(s.dir, "agent.pem"))
	}
	next := old
	if s.rotate {
		alg := old.Algorithm()
		if s.alg != nil {
			alg = *s.alg
		}
		if next, err = openOrGenerate(ctx, keyPath+".new", alg); err != nil {
			return nil, err
		}
		defer next.Close()
		if next.Algorithm() != alg {
			return nil, fmt.Errorf("%s.new, left by an earlier rotation, is an %v key, not %v: remove it or rotate with --alg %[2]v", keyPath, next.Algorithm(), alg)
		}
	}
	res, err := sendRenewal(ctx, s, current, old, next)
	if err != nil {
		return nil, err
	}
	if s.rotate {
		if err := swapKeys(keyPath, current); err != nil {
			return nil, err
		}
	}
	if err := writeChain(s.dir, res.Chain); err != nil {
		return nil, err
	}
	if s.revokeOld {
		res.Superseded = []string{current.SerialNumber.Text(16)}
	}
	if s.rotate {
		// The rotation revoked the certificate it renewed; earlier renewals of the
		// same key would otherwise stay valid for a key that is no longer in use.
		var others []string
		others, err = supersedeOthers(ctx, s, res.DID, current)
		res.Superseded = append(res.Superseded, others...)
	}
	return res, err
}

// sendRenewal asks for a certificate for next's key, signed by old (the key of
// current), and checks that the answer certifies next's key for current's DID.
func sendRenewal(ctx context.Context, s renewSpec, current *x509.Certificate, old, next keys.Signer) (*enrolled, error) {
	csr, err := agentCSR(next)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC().Truncate(time.Second)
	sig, err := ca.SignRenewal(rand.Reader, old, s.owner, current.SerialNumber, at, csr)
	if err != nil {
		return nil, fmt.Errorf("sign the renewal: %w", err)
	}
	body, _ := json.Marshal(renewBody{SerialNumber: current.SerialNumber.Text(16),
		CSR: string(pemBlock("CERTIFICATE REQUEST", csr)), Time: at.Format(time.RFC3339),
		Signature: base64.RawURLEncoding.EncodeToString(sig), RevokeOld: s.revokeOld})
	var res enrolled
	if err := postJSON(ctx, s.server, ownerPath(s.owner, "renew"), s.token, body, &res); err != nil {
		return nil, err
	}
	chain, err := ca.ParseChainPEM([]byte(res.Chain))
	if err != nil {
		return nil, fmt.Errorf("the CA's chain: %w", err)
	}
	if !samePublic(chain[0].PublicKey, next.Public()) || !sameURIs(chain[0], current) {
		return nil, fmt.Errorf("the CA's certificate does not certify the requested key for this agent")
	}
	return &res, nil
}

// swapKeys moves the old key aside as agent.key.<old serial> and the new key
// (agent.key.new) into its place.
func swapKeys(keyPath string, old *x509.Certificate) error {
	if err := os.Rename(keyPath, keyPath+"."+old.SerialNumber.Text(16)); err != nil {
		return fmt.Errorf("move the old key aside: %w", err)
	}
	if err := os.Rename(keyPath+".new", keyPath); err != nil {
		return fmt.Errorf("install the new key: %w", err)
	}
	return nil
}

// readAgentCert reads the agent certificate, the first of the chain in path.
func readAgentCert(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	chain, err := ca.ParseChainPEM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return chain[0], nil
}

// writeChain replaces DIR/agent.pem atomically with chain.
func writeChain(dir, chain string) error {
	tmp, err := os.CreateTemp(dir, ".agent.pem.*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(chain)
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, "agent.pem"))
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	return nil
}

func samePublic(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// sameURIs reports whether two certificates name the same URIs (the DID first).
func sameURIs(a, b *x509.Certificate) bool {
	if len(a.URIs) != len(b.URIs) {
		return false
	}
	for i := range a.URIs {
		if a.URIs[i].String() != b.URIs[i].String() {
			return false
		}
	}
	return true
}
