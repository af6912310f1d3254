package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Bounds on a bundle read from outside. A bundle of MaxBundleEntries entries
// of MaxEntrySize bytes with full proofs stays below MaxBundleSize; larger
// ranges are exported and verified page by page.
const (
	MaxBundleSize    = 128 << 20 // bytes of JSON
	MaxBundleEntries = 4096
	MaxEntrySize     = 16 << 10 // bytes of one entry
	maxProofLen      = 64       // hashes in one proof (trees below 2^63 leaves)
	hashSize         = 32
)

// Bundle is a self-contained, offline-verifiable export of the entries with
// indexes From ≤ index < To of a log: each with its inclusion proof in the tree
// the signed checkpoint commits to, and optionally a consistency proof from an
// earlier tree size the auditor has seen. Its JSON form is what [ParseBundle]
// reads; byte strings are standard base64.
type Bundle struct {
	Checkpoint  string        `json:"checkpoint"` // C2SP signed note
	From        uint64        `json:"from"`
	To          uint64        `json:"to"`
	Consistency *Consistency  `json:"consistency,omitempty"`
	Entries     []BundleEntry `json:"entries"`
}

// BundleEntry is one logged entry (its canonical JSON bytes) and its RFC 9162
// inclusion proof, leaf first.
type BundleEntry struct {
	Index uint64   `json:"index"`
	Entry []byte   `json:"entry"`
	Proof [][]byte `json:"proof"`
}

// Consistency is an RFC 9162 consistency proof from tree size From to the
// bundle's checkpoint.
type Consistency struct {
	From  uint64   `json:"from"`
	Proof [][]byte `json:"proof"`
}

// ParseBundle decodes a bundle, rejecting unknown members, trailing data and
// anything beyond the size bounds. It does not verify it: call [Verifier.Verify].
func ParseBundle(data []byte) (*Bundle, error) {
	if len(data) > MaxBundleSize {
		return nil, fmt.Errorf("%w: bundle of %d bytes", ErrMalformed, len(data))
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: bundle: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the bundle", ErrMalformed)
	}
	if err := b.checkBounds(); err != nil {
		return nil, err
	}
	return &b, nil
}

// Marshal returns the JSON form of b.
func (b *Bundle) Marshal() ([]byte, error) {
	return json.Marshal(b)
}

func (b *Bundle) checkBounds() error {
	if len(b.Checkpoint) > MaxCheckpointSize || len(b.Entries) > MaxBundleEntries {
		return fmt.Errorf("%w: bundle exceeds size bounds", ErrMalformed)
	}
	if b.Consistency != nil {
		if err := checkProof(b.Consistency.Proof); err != nil {
			return fmt.Errorf("consistency: %w", err)
		}
	}
	for _, e := range b.Entries {
		if len(e.Entry) > MaxEntrySize {
			return fmt.Errorf("%w: entry %d has %d bytes", ErrMalformed, e.Index, len(e.Entry))
		}
		if err := checkProof(e.Proof); err != nil {
			return fmt.Errorf("entry %d: %w", e.Index, err)
		}
	}
	return nil
}

func checkProof(p [][]byte) error {
	if len(p) > maxProofLen {
		return fmt.Errorf("%w: proof of %d hashes", ErrMalformed, len(p))
	}
	for _, h := range p {
		if len(h) != hashSize {
			return fmt.Errorf("%w: proof hash of %d bytes", ErrMalformed, len(h))
		}
	}
	return nil
}
