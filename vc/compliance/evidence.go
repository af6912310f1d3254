package compliance

import (
	"encoding/base64"
	"regexp"
	"slices"

	"github.com/kakunin-dev/kakunin/spec"
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
	items, err := array(v, path, maxEvidence)
	if err != nil {
		return nil, err
	}
	out := make([]AuditLogEvidence, len(items))
	for i, item := range items {
		if out[i], err = auditLogEvidence(item, at(path, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func auditLogEvidence(v any, path string) (AuditLogEvidence, error) {
	o, err := asObject(v, path, "id", "type", "log", "checkpoint", "inclusionProof")
	if err != nil {
		return AuditLogEvidence{}, err
	}
	types, err := o.strings("type", true, 4, maxText)
	if err != nil {
		return AuditLogEvidence{}, err
	}
	if !slices.Contains(types, spec.AuditLogEvidenceType) {
		return AuditLogEvidence{}, malformed(at(path, "type"), nil, "must include %s", spec.AuditLogEvidenceType)
	}
	var e AuditLogEvidence
	if e.ID, err = o.str("id", false, maxURL); err != nil {
		return AuditLogEvidence{}, err
	}
	if e.ID != "" && !isAbsoluteURI(e.ID) {
		return AuditLogEvidence{}, malformed(at(path, "id"), nil, "must be a URL")
	}
	if e.Log, err = o.str("log", true, maxURL); err != nil {
		return AuditLogEvidence{}, err
	}
	if !isHTTPURL(e.Log) {
		return AuditLogEvidence{}, malformed(at(path, "log"), nil, "must be an http(s) URL")
	}
	if err := e.checkpoint(o); err != nil {
		return AuditLogEvidence{}, err
	}
	return e, e.inclusion(o)
}

func (e *AuditLogEvidence) checkpoint(parent object) error {
	if !parent.has("checkpoint") {
		return malformed(at(parent.path, "checkpoint"), nil, "checkpoint is required")
	}
	o, err := asObject(parent.m["checkpoint"], at(parent.path, "checkpoint"), "origin", "treeSize", "rootHash")
	if err != nil {
		return err
	}
	if e.Origin, err = o.str("origin", true, 256); err != nil {
		return err
	}
	if !originPattern.MatchString(e.Origin) {
		return malformed(at(o.path, "origin"), nil, `must be a log origin: visible ASCII without spaces or "+"`)
	}
	size, err := o.integer("treeSize", 1, 1<<53-1)
	if err != nil {
		return err
	}
	e.TreeSize = uint64(size)
	e.RootHash, err = hash(o, "rootHash")
	return err
}

func (e *AuditLogEvidence) inclusion(parent object) error {
	if !parent.has("inclusionProof") {
		return malformed(at(parent.path, "inclusionProof"), nil, "inclusionProof is required")
	}
	o, err := asObject(parent.m["inclusionProof"], at(parent.path, "inclusionProof"), "leafIndex", "leafHash")
	if err != nil {
		return err
	}
	index, err := o.integer("leafIndex", 0, 1<<53-2)
	if err != nil {
		return err
	}
	if uint64(index) >= e.TreeSize {
		return malformed(at(o.path, "leafIndex"), nil, "must be less than the checkpoint's treeSize %d", e.TreeSize)
	}
	e.LeafIndex = uint64(index)
	e.LeafHash, err = hash(o, "leafHash")
	return err
}

// hash reads a SHA-256 hash in standard base64 with padding, as checkpoints write it.
func hash(o object, name string) ([32]byte, error) {
	var h [32]byte
	s, err := o.str(name, true, 44)
	if err != nil {
		return h, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, malformed(at(o.path, name), nil, "must be a 32-byte hash in standard base64 (44 characters)")
	}
	copy(h[:], b)
	return h, nil
}
