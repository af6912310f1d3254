package audit

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// MaxNoteSize bounds a signed checkpoint read from outside. C2SP signed-note:
// "Verifiers SHOULD apply a maximum limit to the number of signatures in a note
// (or, equivalently, to the overall size of a note), but MUST accept at least up
// to 16 signatures", which fits well within this bound even for post-quantum
// cosignatures of about 5 kB.
const MaxNoteSize = 128 << 10

// Checkpoint is the body of a C2SP tlog-checkpoint: the origin, the tree size
// and the RFC 6962 root hash, then optional extension lines.
type Checkpoint struct {
	Origin     string
	Size       uint64
	Root       tlog.Hash
	Extensions []string
}

// Text returns the checkpoint note text, each line ending in a newline.
func (c Checkpoint) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
	for _, e := range c.Extensions {
		b.WriteString(e + "\n")
	}
	return b.String()
}

// ParseCheckpoint parses a checkpoint note text (without signatures).
func ParseCheckpoint(text string) (Checkpoint, error) {
	if len(text) > MaxNoteSize || !strings.HasSuffix(text, "\n") {
		return Checkpoint{}, fmt.Errorf("%w: text must end in a newline", ErrMalformedCheckpoint)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, fmt.Errorf("%w: fewer than three lines", ErrMalformedCheckpoint)
	}
	size, err := parseSize(lines[1])
	if err != nil {
		return Checkpoint{}, err
	}
	root, err := parseRoot(lines[2])
	if err != nil {
		return Checkpoint{}, err
	}
	c := Checkpoint{Origin: lines[0], Size: size, Root: root, Extensions: lines[3:]}
	if len(c.Extensions) == 0 {
		c.Extensions = nil
	}
	// tlog-checkpoint: "The origin MUST be non-empty"; "Extension lines, if any,
	// MUST be non-empty."
	for _, l := range lines {
		if l == "" {
			return Checkpoint{}, fmt.Errorf("%w: empty line", ErrMalformedCheckpoint)
		}
	}
	return c, nil
}

// parseSize reads "the ASCII decimal representation of the number of leaves in
// the tree, with no leading zeroes (unless the tree is empty …)".
func parseSize(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || strconv.FormatUint(n, 10) != s || n >= maxTreeSize {
		return 0, fmt.Errorf("%w: tree size %q", ErrMalformedCheckpoint, s)
	}
	return n, nil
}

func parseRoot(s string) (tlog.Hash, error) {
	var h tlog.Hash
	raw, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != len(h) {
		return h, fmt.Errorf("%w: root hash %q", ErrMalformedCheckpoint, s)
	}
	copy(h[:], raw)
	return h, nil
}

// OpenCheckpoint verifies that signed is a signed note carrying a signature of
// verifier (other signatures, such as witness cosignatures, are ignored) over a
// checkpoint whose origin is origin, and returns that checkpoint. It fails with
// [ErrBadSignature] or [ErrMalformedCheckpoint].
func OpenCheckpoint(signed []byte, origin string, verifier note.Verifier) (Checkpoint, error) {
	c, _, err := openNote(signed, origin, note.VerifierList(verifier))
	return c, err
}

// openNote is [OpenCheckpoint] with any of several verifiers; it also returns
// the opened note.
func openNote(signed []byte, origin string, verifiers note.Verifiers) (Checkpoint, *note.Note, error) {
	if len(signed) > MaxNoteSize {
		return Checkpoint{}, nil, fmt.Errorf("%w: %d bytes exceeds %d", ErrMalformedCheckpoint, len(signed), MaxNoteSize)
	}
	n, err := note.Open(signed, verifiers)
	if err != nil {
		return Checkpoint{}, nil, noteError(err)
	}
	if err := canonicalSignatures(n); err != nil {
		return Checkpoint{}, nil, err
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if c.Origin != origin {
		return Checkpoint{}, nil, fmt.Errorf("%w: origin %q, want %q", ErrMalformedCheckpoint, c.Origin, origin)
	}
	return c, n, nil
}

func noteError(err error) error {
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	if errors.As(err, &unverified) || errors.As(err, &invalid) {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return fmt.Errorf("%w: %v", ErrMalformedCheckpoint, err)
}

// canonicalSignatures rejects verified signatures whose base64 has non-zero
// padding bits: note.Open decodes leniently, so without this check one
// signature would have several encodings.
func canonicalSignatures(n *note.Note) error {
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return fmt.Errorf("%w: non-canonical signature encoding", ErrMalformedCheckpoint)
		}
	}
	return nil
}
