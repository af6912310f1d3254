package compliance

import (
	"encoding/base64"
	"regexp"
	"slices"

	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// AuditLogEvidence points at the record of the assessment in a kakunin audit log: a signed
// checkpoint (C2SP tlog-checkpoint) and the leaf whose inclusion in it proves the record.
type AuditLogEvidence struct {
	ID        string // optional URL of this evidence
	Log       string // URL of the log (the DID's KakuninAuditLog service)
	Origin    string // checkpoint origin line
	TreeSize  uint64
	RootHash  [32]byte
	LeafIndex uint64 // < TreeSize
	LeafHash  [32]byte
}

// origin: the note key-name rules (no spaces, no "+"), ASCII only.
var originPattern = regexp.MustCompile(`^[!-*,-~]{1,256}$`)

func parseEvidence(v any, path string) ([]AuditLogEvidence, error) {
	items, err := claims.Array(v, path, maxEvidence)
	if err != nil {
		return nil, err
	}
	out := make([]AuditLogEvidence, len(items))
	for i, item := range items {
		if out[i], err = auditLogEvidence(item, claims.At(path, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func auditLogEvidence(v any, path string) (AuditLogEvidence, error) {
	o, err := claims.AsObject(v, path, "id", "type", "log", "checkpoint", "inclusionProof")
	if err != nil {
		return AuditLogEvidence{}, err
	}
	types, err := o.Strings("type", true, 4, maxText)
	if err != nil {
		return AuditLogEvidence{}, err
	}
	if !slices.Contains(types, spec.AuditLogEvidenceType) {
		return AuditLogEvidence{}, claims.Malformed(claims.At(path, "type"), nil, "must include %s", spec.AuditLogEvidenceType)
	}
	var e AuditLogEvidence
	if e.ID, err = o.Str("id", false, maxURL); err != nil {
		return AuditLogEvidence{}, err
	}
	if e.ID != "" && !claims.IsAbsoluteURI(e.ID) {
		return AuditLogEvidence{}, claims.Malformed(claims.At(path, "id"), nil, "must be a URL")
	}
	if e.Log, err = o.Str("log", true, maxURL); err != nil {
		return AuditLogEvidence{}, err
	}
	if !isHTTPURL(e.Log) {
		return AuditLogEvidence{}, claims.Malformed(claims.At(path, "log"), nil, "must be an http(s) URL")
	}
	if err := e.checkpoint(o); err != nil {
		return AuditLogEvidence{}, err
	}
	return e, e.inclusion(o)
}

func (e *AuditLogEvidence) checkpoint(parent claims.Object) error {
	if !parent.Has("checkpoint") {
		return claims.Malformed(claims.At(parent.Path, "checkpoint"), nil, "checkpoint is required")
	}
	o, err := claims.AsObject(parent.Members["checkpoint"], claims.At(parent.Path, "checkpoint"), "origin", "treeSize", "rootHash")
	if err != nil {
		return err
	}
	if e.Origin, err = o.Str("origin", true, 256); err != nil {
		return err
	}
	if !originPattern.MatchString(e.Origin) {
		return claims.Malformed(claims.At(o.Path, "origin"), nil, `must be a log origin: visible ASCII without spaces or "+"`)
	}
	size, err := o.Integer("treeSize", 1, 1<<53-1)
	if err != nil {
		return err
	}
	e.TreeSize = uint64(size)
	e.RootHash, err = hash(o, "rootHash")
	return err
}

func (e *AuditLogEvidence) inclusion(parent claims.Object) error {
	if !parent.Has("inclusionProof") {
		return claims.Malformed(claims.At(parent.Path, "inclusionProof"), nil, "inclusionProof is required")
	}
	o, err := claims.AsObject(parent.Members["inclusionProof"], claims.At(parent.Path, "inclusionProof"), "leafIndex", "leafHash")
	if err != nil {
		return err
	}
	index, err := o.Integer("leafIndex", 0, 1<<53-2)
	if err != nil {
		return err
	}
	if uint64(index) >= e.TreeSize {
		return claims.Malformed(claims.At(o.Path, "leafIndex"), nil, "must be less than the checkpoint's treeSize %d", e.TreeSize)
	}
	e.LeafIndex = uint64(index)
	e.LeafHash, err = hash(o, "leafHash")
	return err
}

// hash reads a SHA-256 hash in standard base64 with padding, as checkpoints write it.
func hash(o claims.Object, name string) ([32]byte, error) {
	var h [32]byte
	s, err := o.Str(name, true, 44)
	if err != nil {
		return h, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, claims.Malformed(claims.At(o.Path, name), nil, "must be a 32-byte hash in standard base64 (44 characters)")
	}
	copy(h[:], b)
	return h, nil
}
