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
	logView, logErr := a.openEvidenceLog(ctx, v, f)
	failed := 0
	for i, e := range list {
		msg, err := "", logErr
		if err == nil {
			msg, err = logView.check(ctx, f.origin, agent, e)
		}
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

// evidenceLog is the log evidence is checked against: --server (a credential's
// own log URL is never fetched), with its current checkpoint, verified with the
// pinned key.
type evidenceLog struct {
	r    *logReader
	head verify.Checkpoint
}

func (a auditCLI) openEvidenceLog(ctx context.Context, v *verify.Verifier, f evidenceFlags) (*evidenceLog, error) {
	r, err := a.logReader(f.server, f.timeout)
	if err != nil {
		return nil, err
	}
	signed, err := r.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	head, err := v.Open(signed)
	if err != nil {
		return nil, fmt.Errorf("the log's checkpoint: %w", err)
	}
	return &evidenceLog{r: r, head: head}, nil
}

// check checks that the evidence's checkpoint is one the log signs or extends
// (consistency proof to the log's current signed checkpoint), that its leaf is
// included in it, and that the entry cited is about the credential's subject,
// agent.
func (l *evidenceLog) check(ctx context.Context, origin, agent string, e compliance.AuditLogEvidence) (string, error) {
	if e.Origin != origin {
		return "", fmt.Errorf("the evidence cites the log %q, not the pinned %q", e.Origin, origin)
	}
	quoted := verify.Checkpoint{Origin: e.Origin, Size: e.TreeSize, Root: e.RootHash[:]}
	var proof [][]byte
	var err error
	if l.head.Size >= quoted.Size {
		if proof, err = l.r.consistency(ctx, quoted.Size, l.head.Size); err != nil {
			return "", err
		}
	}
	if err := verify.CheckConsistency(quoted, l.head, proof); err != nil {
		return "", fmt.Errorf("the evidence's checkpoint is not the log's: %w", err)
	}
	p, err := l.r.inclusion(ctx, url.Values{"index": {num(e.LeafIndex)}}, e.TreeSize)
	if err != nil {
		return "", err
	}
	if err := verify.CheckInclusion(quoted, e.LeafIndex, e.LeafHash[:], p.Proof); err != nil {
		return "", fmt.Errorf("leaf %d with hash %s is not in the evidence's checkpoint: %w",
			e.LeafIndex, base64.StdEncoding.EncodeToString(e.LeafHash[:]), err)
	}
	entry, err := citedEntry(ctx, l.r, e)
	if err != nil {
		return "", err
	}
	if entry.Subject != agent {
		return "", fmt.Errorf("leaf %d is a %s entry about %s, not about the credential's subject %s",
			e.LeafIndex, entry.Type, entry.Subject, agent)
	}
	return fmt.Sprintf("leaf %d (%s of %s at %s) is in %s at tree size %d, consistent with its signed tree size %d",
		e.LeafIndex, entry.Type, entry.Subject, entry.Time.Format("2006-01-02T15:04:05Z07:00"), e.Origin, e.TreeSize, l.head.Size), nil
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
