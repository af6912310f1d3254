package audit

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
)

// sigTypeEd25519 is the C2SP signed-note signature type byte of Ed25519.
const sigTypeEd25519 = 0x01

// NewNoteSigner returns a signed-note signer named name that signs with key, an
// Ed25519 crypto.Signer (a file key or an HSM key). Its key ID is the one C2SP
// signed-note recommends: "SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519
// public key)[:4]". It fails with [ErrUnsupportedKey] for other keys.
func NewNoteSigner(name string, key crypto.Signer) (note.Signer, error) {
	pub, ok := key.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: %T (want Ed25519)", ErrUnsupportedKey, key.Public())
	}
	if !validName(name) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidOrigin, name)
	}
	return &noteSigner{name: name, hash: keyID(name, pub), key: key}, nil
}

// newKeyPair returns the signer of key under name and its verifier key.
func newKeyPair(name string, key crypto.Signer) (note.Signer, string, error) {
	s, err := NewNoteSigner(name, key)
	if err != nil {
		return nil, "", err
	}
	vkey, err := VerifierKey(name, key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, "", err
	}
	return s, vkey, nil
}

// VerifierKey returns the signed-note verifier key "name+keyid+base64(0x01 ||
// public key)" that auditors configure to check checkpoints signed by pub.
func VerifierKey(name string, pub ed25519.PublicKey) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("%w: %q", ErrInvalidOrigin, name)
	}
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return vkey, nil
}

// validName applies C2SP signed-note: "Key names MUST be non-empty and MUST NOT
// contain any Unicode spaces or plus (U+002B) characters."
func validName(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsFunc(name, unicode.IsSpace) && !strings.Contains(name, "+")
}

func keyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', sigTypeEd25519})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

type noteSigner struct {
	name string
	hash uint32
	key  crypto.Signer
}

func (s *noteSigner) Name() string    { return s.name }
func (s *noteSigner) KeyHash() uint32 { return s.hash }

// Sign signs msg with pure Ed25519 (crypto.Hash(0)), as RFC 8032 and signed-note
// require.
func (s *noteSigner) Sign(msg []byte) ([]byte, error) {
	sig, err := s.key.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	return sig, nil
}
