package verify

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// MaxCheckpointSize bounds a signed checkpoint (C2SP signed-note: verifiers
// "MUST accept at least up to 16 signatures"; this leaves room for 16
// post-quantum ones).
const MaxCheckpointSize = 128 << 10

// Checkpoint is a verified C2SP tlog-checkpoint.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte // RFC 6962 root hash, 32 bytes
}

// Verifier checks bundles from one log.
type Verifier struct {
	origin string
	key    note.Verifier
}

// New returns a Verifier for the log named origin whose checkpoints are signed
// by the key given as a signed-note verifier key ("name+keyid+base64").
func New(origin, vkey string) (*Verifier, error) {
	if origin == "" {
		return nil, fmt.Errorf("%w: empty origin", ErrMalformed)
	}
	key, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("%w: verifier key: %v", ErrMalformed, err)
	}
	return &Verifier{origin: origin, key: key}, nil
}

// Open checks signed's signature by the log key (ignoring other signatures,
// such as witness cosignatures) and returns its checkpoint.
func (v *Verifier) Open(signed []byte) (Checkpoint, error) {
	if len(signed) > MaxCheckpointSize {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint of %d bytes", ErrMalformed, len(signed))
	}
	n, err := note.Open(signed, note.VerifierList(v.key))
	if err != nil {
		return Checkpoint{}, noteError(err)
	}
	if err := canonicalSignatures(n); err != nil {
		return Checkpoint{}, err
	}
	c, err := parseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.origin {
		return Checkpoint{}, fmt.Errorf("%w: origin %q is not %q", ErrBadSignature, c.Origin, v.origin)
	}
	return c, nil
}

// parseCheckpoint reads the three mandatory lines of a tlog-checkpoint and
// checks that any extension lines are non-empty.
func parseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint text has fewer than three lines", ErrMalformed)
	}
	for _, l := range lines[:len(lines)-1] {
		if l == "" {
			return Checkpoint{}, fmt.Errorf("%w: empty checkpoint line", ErrMalformed)
		}
	}
	size, err := strconv.ParseUint(lines[1], 10, 63)
	if err != nil || strconv.FormatUint(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: tree size %q", ErrMalformed, lines[1])
	}
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != hashSize {
		return Checkpoint{}, fmt.Errorf("%w: root hash %q", ErrMalformed, lines[2])
	}
	return Checkpoint{Origin: lines[0], Size: size, Root: root}, nil
}

// noteError tells a note that no log key signed (or whose log signature is
// invalid) from one that does not parse.
func noteError(err error) error {
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	if errors.As(err, &unverified) || errors.As(err, &invalid) {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// canonicalSignatures rejects verified signatures whose base64 has non-zero
// padding bits: note.Open decodes leniently, so without this check one
// signature would have several encodings.
func canonicalSignatures(n *note.Note) error {
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return fmt.Errorf("%w: non-canonical signature encoding", ErrMalformed)
		}
	}
	return nil
}
