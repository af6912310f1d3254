package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"github.com/kakunin-dev/kakunin/spec"
)

// defaultEvidenceEvent is the entry `audit evidence --did` cites by default:
// the agent's enrolment, the issuance of its certificate.
const defaultEvidenceEvent = audit.CertIssued

// auditEvidence is one KakuninAuditLogEvidence entry of a compliance
// credential (spec/credentials.md §5.2); byte strings are standard base64.
type auditEvidence struct {
	Type           []string          `json:"type"`
	Log            string            `json:"log"`
	Checkpoint     evidenceTree      `json:"checkpoint"`
	InclusionProof evidenceInclusion `json:"inclusionProof"`
}

type evidenceTree struct {
	Origin   string `json:"origin"`
	TreeSize uint64 `json:"treeSize"`
	RootHash []byte `json:"rootHash"`
}

type evidenceInclusion struct {
	LeafIndex uint64 `json:"leafIndex"`
	LeafHash  []byte `json:"leafHash"`
}

// evidenceFlags are the flags of `audit evidence`.
type evidenceFlags struct {
	server, origin, key, out, check string
	leaf, leafHash, did, event      string
	timeout                         time.Duration
}

func (f *evidenceFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.server, "server", "", "base URL of the kakunin audit log")
	fs.StringVar(&f.origin, "origin", "", "the log's origin (checkpoint first line)")
	fs.StringVar(&f.key, "key", "", "the log's signed-note verifier key, pinned out of band")
	fs.StringVar(&f.leaf, "leaf", "", "index of the logged record to cite")
	fs.StringVar(&f.leafHash, "leaf-hash", "", "leaf hash (standard base64 or hex) of the record to cite")
	fs.StringVar(&f.did, "did", "", "cite the latest --event record about this DID")
	fs.StringVar(&f.event, "event", "", "event type of the record cited with --did (default "+string(defaultEvidenceEvent)+")")
	fs.StringVar(&f.out, "out", "", "write the evidence to this file instead of stdout")
	fs.StringVar(&f.check, "check", "", "check the evidence of this compliance credential (JSON) against the log instead")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "timeout of each HTTP request")
}

func (f *evidenceFlags) validate(fs *flag.FlagSet) error {
	picks := 0
	for _, s := range []string{f.leaf, f.leafHash, f.did} {
		if s != "" {
			picks++
		}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case f.origin == "" || f.key == "":
		return usageError{"--origin and --key are required"}
	case f.timeout <= 0:
		return usageError{"--timeout must be positive"}
	case f.check != "" && (picks > 0 || f.out != "" || f.event != ""):
		return usageError{"--check reads the evidence in the credential: no --leaf, --leaf-hash, --did, --event or --out"}
	case f.server == "":
		return usageError{"evidence needs --server URL: the log to read, never one a credential names"}
	case f.check != "":
		return nil
	case picks != 1:
		return usageError{"give exactly one of --leaf, --leaf-hash and --did"}
	case f.event != "" && f.did == "":
		return usageError{"--event goes with --did"}
	}
	if f.leaf != "" {
		if _, err := audithttp.ParseIndex(f.leaf); err != nil {
			return usageError{fmt.Sprintf("--leaf: %v", err)}
		}
	}
	if f.leafHash != "" {
		if _, err := decodeLeafHash(f.leafHash); err != nil {
			return usageError{fmt.Sprintf("--leaf-hash: %v", err)}
		}
	}
	if f.did != "" && f.event == "" {
		f.event = string(defaultEvidenceEvent)
	}
	return nil
}

// decodeLeafHash reads a leaf hash as the evidence writes it (standard base64)
// or as 64 hex digits.
func decodeLeafHash(s string) ([]byte, error) {
	var h []byte
	var err error
	if len(s) == hex.EncodedLen(32) {
		h, err = hex.DecodeString(s)
	} else {
		h, err = base64.StdEncoding.Strict().DecodeString(s)
	}
	if err != nil || len(h) != 32 {
		return nil, fmt.Errorf("%.80q is neither a 32-byte hash in standard base64 nor 64 hex digits", s)
	}
	return h, nil
}

func (a auditCLI) evidence(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "audit", auditUsage)
	var f evidenceFlags
	f.bind(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.validate(fs); err != nil {
		return err
	}
	v, err := verify.New(f.origin, f.key)
	if err != nil {
		return usageError{fmt.Sprintf("--origin/--key: %v", err)}
	}
	if f.check != "" {
		return a.checkEvidence(ctx, env, v, f)
	}
	ev, err := a.makeEvidence(ctx, v, f)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		return err
	}
	if f.out == "" {
		_, err = fmt.Fprintf(env.stdout, "%s\n", data)
		return err
	}
	if err := os.WriteFile(f.out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.stdout, "evidence: leaf %d of %s, verified in its signed tree of size %d\nevidence in %s\n",
		ev.InclusionProof.LeafIndex, f.origin, ev.Checkpoint.TreeSize, f.out)
	return err
}

// makeEvidence fetches the log's signed checkpoint and the inclusion proof of
// the chosen leaf in it, verifies both, and returns the evidence citing them.
func (a auditCLI) makeEvidence(ctx context.Context, v *verify.Verifier, f evidenceFlags) (auditEvidence, error) {
	r, err := a.logReader(f.server, f.timeout)
	if err != nil {
		return auditEvidence{}, err
	}
	signed, err := r.Checkpoint(ctx)
	if err != nil {
		return auditEvidence{}, err
	}
	head, err := v.Open(signed)
	if err != nil {
		return auditEvidence{}, err
	}
	q, want, err := f.leafQuery(ctx, r, head.Size)
	if err != nil {
		return auditEvidence{}, err
	}
	p, err := r.inclusion(ctx, q, head.Size)
	if err != nil {
		return auditEvidence{}, err
	}
	switch {
	case want != nil && !bytes.Equal(p.LeafHash, want):
		return auditEvidence{}, fmt.Errorf("the log's proof is about leaf hash %s, not %s",
			base64.StdEncoding.EncodeToString(p.LeafHash), base64.StdEncoding.EncodeToString(want))
	case q.Has("index") && q.Get("index") != num(p.Index):
		return auditEvidence{}, fmt.Errorf("the log's proof is about leaf %d, not %s", p.Index, q.Get("index"))
	}
	if err := verify.CheckInclusion(head, p.Index, p.LeafHash, p.Proof); err != nil {
		return auditEvidence{}, fmt.Errorf("the log's inclusion proof: %w", err)
	}
	return auditEvidence{
		Type:           []string{spec.AuditLogEvidenceType},
		Log:            strings.TrimRight(f.server, "/") + "/audit",
		Checkpoint:     evidenceTree{Origin: head.Origin, TreeSize: head.Size, RootHash: head.Root},
		InclusionProof: evidenceInclusion{LeafIndex: p.Index, LeafHash: p.LeafHash},
	}, nil
}

// leafQuery selects the leaf of the tree of size size for /audit/proof/inclusion,
// and returns the leaf hash the proof must be about when it is known.
func (f evidenceFlags) leafQuery(ctx context.Context, r *logReader, size uint64) (url.Values, []byte, error) {
	switch {
	case f.leafHash != "":
		h, _ := decodeLeafHash(f.leafHash) // validated
		return url.Values{"leafHash": {base64.RawURLEncoding.EncodeToString(h)}}, h, nil
	case f.did != "":
		index, data, err := r.latestForDID(ctx, f.did, audit.EventType(f.event), size)
		if err != nil {
			return nil, nil, err
		}
		h := audit.LeafHash(data)
		return url.Values{"index": {num(index)}}, h[:], nil
	}
	index, _ := audithttp.ParseIndex(f.leaf) // validated
	if index >= size {
		return nil, nil, fmt.Errorf("leaf %d is not in the log's signed tree of size %d", index, size)
	}
	return url.Values{"index": {num(index)}}, nil, nil
}
