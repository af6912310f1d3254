package kakunin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kakunin-dev/kakunin/jcs"
)

// SaltSize is the size of a prompt-manifest salt, in bytes.
const SaltSize = 32

// MaxPromptManifest bounds the prompt manifests ParsePromptManifest reads.
const MaxPromptManifest = 1 << 20

// PromptManifest is what an agent's prompt digest commits to: its system prompt,
// its tool definitions and its configuration, with a random salt that makes the
// digest a hiding commitment (a short prompt cannot be found by hashing guesses).
// The prompt digest is the SHA-256 of the manifest's JCS (RFC 8785) form.
type PromptManifest struct {
	// Salt is the unpadded base64url encoding of SaltSize random bytes (NewSalt).
	Salt         string            `json:"salt"`
	SystemPrompt string            `json:"systemPrompt"`
	Tools        []json.RawMessage `json:"tools"`  // tool definitions, each any JSON value
	Config       json.RawMessage   `json:"config"` // a JSON object: model parameters and the like
}

// NewSalt returns a fresh salt read from r (crypto/rand.Reader in production).
func NewSalt(r io.Reader) (string, error) {
	b := make([]byte, SaltSize)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ParsePromptManifest reads a prompt manifest written as JSON. It rejects input
// larger than MaxPromptManifest, duplicate or unknown members, and manifests that
// break the rules of Canonical.
func ParsePromptManifest(data []byte) (PromptManifest, error) {
	canonical, err := jcs.Options{MaxBytes: MaxPromptManifest}.Transform(data)
	if err != nil {
		return PromptManifest{}, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	dec := json.NewDecoder(bytes.NewReader(canonical))
	dec.DisallowUnknownFields()
	var m PromptManifest
	if err := dec.Decode(&m); err != nil {
		return PromptManifest{}, fmt.Errorf("%w: %v", ErrInvalidManifest, err)
	}
	again, err := m.Canonical()
	if err != nil {
		return PromptManifest{}, err
	}
	// A missing member would be re-encoded as "" or null and change the digest.
	if !bytes.Equal(again, canonical) {
		return PromptManifest{}, fmt.Errorf("%w: salt, systemPrompt, tools and config are all required", ErrInvalidManifest)
	}
	return m, nil
}

// Canonical returns the JCS form of m, the bytes whose SHA-256 is the prompt digest.
func (m PromptManifest) Canonical() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	b, err := jcs.Options{MaxBytes: MaxPromptManifest}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	return b, nil
}

// Digest returns the prompt digest: the SHA-256 of Canonical.
func (m PromptManifest) Digest() (Digest, error) {
	b, err := m.Canonical()
	if err != nil {
		return Digest{}, err
	}
	return sha256.Sum256(b), nil
}

func (m PromptManifest) validate() error {
	salt, err := base64.RawURLEncoding.Strict().DecodeString(m.Salt)
	if err != nil || len(salt) != SaltSize {
		return fmt.Errorf("%w: salt is not unpadded base64url of %d bytes", ErrInvalidManifest, SaltSize)
	}
	if m.Tools == nil {
		return fmt.Errorf("%w: tools must be an array (empty if the agent has none)", ErrInvalidManifest)
	}
	if c := bytes.TrimSpace(m.Config); len(c) == 0 || c[0] != '{' || !json.Valid(c) {
		return fmt.Errorf("%w: config must be a JSON object", ErrInvalidManifest)
	}
	for i, t := range m.Tools {
		if !json.Valid(t) || string(bytes.TrimSpace(t)) == "null" {
			return fmt.Errorf("%w: tools[%d] is not a JSON value", ErrInvalidManifest, i)
		}
	}
	return nil
}

// PromptTextDigest returns the bare SHA-256 of a prompt's UTF-8 text, the prompt
// digest of the method's first publication. It is accepted for compatibility but
// weaker than a manifest digest: it commits to neither tools nor configuration, and
// without a salt anyone holding a candidate prompt (a template, a leaked draft)
// can confirm it by hashing.
func PromptTextDigest(text string) Digest { return sha256.Sum256([]byte(text)) }
