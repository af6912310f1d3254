package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// errEvidenceFailed is returned (exit code 1) when an evidence entry does not
// check out.
var errEvidenceFailed = errors.New("evidence not verified")

// checkEvidence checks every audit-log evidence entry of a compliance
// credential against the log, printing one verdict per entry. It does not
// check the credential's proof: `vc verify` does.
func (a auditCLI) checkEvidence(ctx context.Context, env *cliEnv, v *verify.Verifier, f evidenceFlags) error {
	agent, list, err := readEvidence(f.check)
	if err != nil {
		return err
	}
	heads := map[string]verify.Checkpoint{} // signed checkpoint of each server
	failed := 0
	for i, e := range list {
		msg, err := a.checkOneEvidence(ctx, v, f, agent, e, heads)
		if err != nil {
			failed++
			fmt.Fprintf(env.stdout, "evidence %d: FAILED: %v\n", i, err)
			continue
		}
		fmt.Fprintf(env.stdout, "evidence %d: ok: %s\n", i, msg)
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d entries failed", errEvidenceFailed, failed, len(list))
	}
	return nil
}

// checkOneEvidence checks that the evidence's checkpoint is one the log signs
// or extends (consistency proof to the log's current signed checkpoint), that
// its leaf is included in it, and that the entry cited is about the
// credential's subject, agent. The log is --server: a credential's own log URL
// is never fetched.
func (a auditCLI) checkOneEvidence(ctx context.Context, v *verify.Verifier, f evidenceFlags, agent string,
	e compliance.AuditLogEvidence, heads map[string]verify.Checkpoint) (string, error) {
	if e.Origin != f.origin {
		return "", fmt.Errorf("the evidence cites the log %q, not the pinned %q", e.Origin, f.origin)
	}
	server := f.server
	r, err := a.logReader(server, f.timeout)
	if err != nil {
		return "", err
	}
	head, err := signedHead(ctx, r, v, server, heads)
	if err != nil {
		return "", err
	}
	quoted := verify.Checkpoint{Origin: e.Origin, Size: e.TreeSize, Root: e.RootHash[:]}
	var proof [][]byte
	if head.Size >= quoted.Size {
		if proof, err = r.consistency(ctx, quoted.Size, head.Size); err != nil {
			return "", err
		}
	}
	if err := verify.CheckConsistency(quoted, head, proof); err != nil {
		return "", fmt.Errorf("the evidence's checkpoint is not the log's: %w", err)
	}
	p, err := r.inclusion(ctx, url.Values{"index": {num(e.LeafIndex)}}, e.TreeSize)
	if err != nil {
		return "", err
	}
	if err := verify.CheckInclusion(quoted, e.LeafIndex, e.LeafHash[:], p.Proof); err != nil {
		return "", fmt.Errorf("leaf %d with hash %s is not in the evidence's checkpoint: %w",
			e.LeafIndex, base64.StdEncoding.EncodeToString(e.LeafHash[:]), err)
	}
	entry, err := citedEntry(ctx, r, e)
	if err != nil {
		return "", err
	}
	if entry.Subject != agent {
		return "", fmt.Errorf("leaf %d is a %s entry about %s, not about the credential's subject %s",
			e.LeafIndex, entry.Type, entry.Subject, agent)
	}
	return fmt.Sprintf("leaf %d (%s of %s at %s) is in %s at tree size %d, consistent with its signed tree size %d",
		e.LeafIndex, entry.Type, entry.Subject, entry.Time.Format("2006-01-02T15:04:05Z07:00"), e.Origin, e.TreeSize, head.Size), nil
}

// signedHead returns the verified current checkpoint of server, fetched once.
func signedHead(ctx context.Context, r *logReader, v *verify.Verifier, server string, heads map[string]verify.Checkpoint) (verify.Checkpoint, error) {
	if c, ok := heads[server]; ok {
		return c, nil
	}
	signed, err := r.Checkpoint(ctx)
	if err != nil {
		return verify.Checkpoint{}, err
	}
	c, err := v.Open(signed)
	if err != nil {
		return verify.Checkpoint{}, fmt.Errorf("the log's checkpoint: %w", err)
	}
	heads[server] = c
	return c, nil
}

// citedEntry reads the logged entry the evidence cites, which must hash to its
// leaf hash.
func citedEntry(ctx context.Context, r *logReader, e compliance.AuditLogEvidence) (audit.Entry, error) {
	entry, data, err := r.entry(ctx, e.LeafIndex)
	if err != nil {
		return audit.Entry{}, err
	}
	if h := audit.LeafHash(data); !bytes.Equal(h[:], e.LeafHash[:]) {
		return audit.Entry{}, fmt.Errorf("the log serves an entry %d that does not hash to the proven leaf hash", e.LeafIndex)
	}
	return entry, nil
}

// readEvidence reads the subject and the evidence of a compliance credential file: the
// credential, or a VC API answer {"verifiableCredential": …}, secured with a
// Data Integrity proof or enveloped (vc+jwt).
func readEvidence(path string) (string, []compliance.AuditLogEvidence, error) {
	data, err := readBounded(path, maxVCFile)
	if err != nil {
		return "", nil, err
	}
	doc, err := credentialPayload(data)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	cred, err := vc.ParseCredential(doc, vc.ParseOptions{})
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := compliance.ParseCompliance(cred)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	return c.Agent, c.Evidence, nil
}

// credentialPayload returns the credential JSON in data: unwrapped from a VC
// API answer, and from its envelope when enveloped. The payload's signature is
// not checked.
func credentialPayload(data []byte) ([]byte, error) {
	var answer struct {
		VC json.RawMessage `json:"verifiableCredential"`
	}
	if json.Unmarshal(data, &answer) == nil && len(answer.VC) > 0 {
		data = answer.VC
	}
	var obj map[string]any
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("not a JSON credential: %w", err)
	}
	if obj["type"] != jose.TypeEnvelopedCredential {
		return data, nil
	}
	_, jws, err := jose.Unenvelope(obj)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(string(jws), ".")
	if len(parts) != 3 {
		return nil, errors.New("enveloped credential is not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("enveloped credential payload: %w", err)
	}
	return payload, nil
}
