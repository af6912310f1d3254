package kakunin

import (
	"crypto"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// Method is the DID method name.
const Method = "kakunin"

const prefix = "did:" + Method + ":"

// MaxIDLength bounds the identifiers Parse reads. The longest canonical identifier
// (an RSA-8192 owner key) is about 1,600 bytes.
const MaxIDLength = did.MaxLength

// ID is a parsed did:kakunin identifier: the digest of the agent's model, the
// digest of its prompt manifest and its owner's public key. The zero ID is not
// valid. Compare IDs with Equal or by their String forms.
type ID struct {
	model, prompt Digest
	owner         string // canonical Multikey
	key           crypto.PublicKey
}

// New returns the identifier of an agent configuration. The owner key must be of a
// type that can sign X.509 certificates verifiable by common PKI: Ed25519, ECDSA
// P-256 or P-384, or RSA of 2048 bits or more.
func New(model, prompt Digest, owner crypto.PublicKey) (ID, error) {
	mk, err := did.EncodeMultikey(owner)
	if err != nil {
		return ID{}, fmt.Errorf("%w: %w", ErrUnsupportedOwnerKey, err)
	}
	key, err := did.DecodeMultikey(mk)
	if err != nil {
		return ID{}, fmt.Errorf("%w: %w", ErrUnsupportedOwnerKey, err)
	}
	return ID{model: model, prompt: prompt, owner: mk, key: key}, nil
}

// Parse reads a did:kakunin identifier. It accepts two non-canonical spellings and
// normalises them: hex digits in upper case, and an owner key written as 64 hex
// digits (the raw Ed25519 key of the method's first publication). When
// id.String() differs from s, a resolver reports id.String() as canonicalId.
// Every error is an *IDError matching ErrInvalidID and did.ErrInvalidDID.
func Parse(s string) (ID, error) {
	if len(s) > MaxIDLength {
		return ID{}, idError(s, "syntax", fmt.Sprintf("longer than %d bytes", MaxIDLength), nil)
	}
	if !strings.HasPrefix(s, prefix) {
		return ID{}, idError(s, "method", `does not start with "did:kakunin:"`, nil)
	}
	parts := strings.Split(s[len(prefix):], ":")
	if len(parts) != 3 {
		return ID{}, idError(s, "syntax", fmt.Sprintf("%d components after the method name, want 3", len(parts)), nil)
	}
	model, err := parseHexDigest(parts[0])
	if err != nil {
		return ID{}, idError(s, "model-digest", err.Error(), nil)
	}
	prompt, err := parseHexDigest(parts[1])
	if err != nil {
		return ID{}, idError(s, "prompt-digest", err.Error(), nil)
	}
	owner, key, perr := parseOwnerKey(parts[2])
	if perr != nil {
		return ID{}, idError(s, "owner-key", perr.reason, perr.err)
	}
	return ID{model: model, prompt: prompt, owner: owner, key: key}, nil
}

type ownerKeyError struct {
	reason string
	err    error
}

// parseOwnerKey returns the canonical Multikey and the key.
func parseOwnerKey(s string) (string, crypto.PublicKey, *ownerKeyError) {
	if isHex(s) {
		return parseHexOwnerKey(s)
	}
	key, err := did.DecodeMultikey(s)
	if err != nil {
		reason := "not a base58btc Multikey"
		var sentinel error
		if errors.Is(err, did.ErrUnsupportedKey) {
			reason = "unsupported key type (Ed25519, P-256, P-384 and RSA of 2048 bits or more can sign X.509 chains; secp256k1 cannot be verified by Go or common PKI)"
			sentinel = errors.Join(ErrUnsupportedOwnerKey, did.ErrUnsupportedKey)
		}
		return "", nil, &ownerKeyError{reason: reason, err: sentinel}
	}
	canonical, err := did.EncodeMultikey(key)
	if err != nil || canonical != s {
		return "", nil, &ownerKeyError{reason: "Multikey not in canonical encoding"}
	}
	return canonical, key, nil
}

func parseHexOwnerKey(s string) (string, crypto.PublicKey, *ownerKeyError) {
	switch len(s) {
	case 2 * ed25519.PublicKeySize:
	case 66, 130:
		return "", nil, &ownerKeyError{
			reason: "hex key of 33 or 65 bytes is a secp256k1 (or malformed) key; secp256k1 cannot sign X.509 chains verifiable by Go or common PKI",
			err:    ErrUnsupportedOwnerKey,
		}
	default:
		return "", nil, &ownerKeyError{reason: fmt.Sprintf("hex key of %d digits, want 64 (Ed25519)", len(s))}
	}
	raw, _ := hex.DecodeString(s)
	key := ed25519.PublicKey(raw)
	mk, err := did.EncodeMultikey(key)
	if err != nil {
		return "", nil, &ownerKeyError{reason: "invalid Ed25519 key"}
	}
	return mk, key, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if hexValue(s[i]) < 0 {
			return false
		}
	}
	return s != ""
}

// String returns the canonical identifier: lower-case hex digests and the owner
// key as a base58btc Multikey.
func (id ID) String() string {
	if id.IsZero() {
		return ""
	}
	return prefix + id.model.String() + ":" + id.prompt.String() + ":" + id.owner
}

// DID returns the identifier as a did.DID.
func (id ID) DID() did.DID {
	return did.DID{Method: Method, ID: strings.TrimPrefix(id.String(), prefix)}
}

// IsZero reports whether id is the zero ID.
func (id ID) IsZero() bool { return id.owner == "" }

// Equal reports whether id and other name the same agent configuration.
func (id ID) Equal(other ID) bool {
	return id.model == other.model && id.prompt == other.prompt && id.owner == other.owner
}

// ModelDigest is the SHA-256 digest of the agent's model artefact.
func (id ID) ModelDigest() Digest { return id.model }

// PromptDigest is the SHA-256 digest of the agent's prompt manifest.
func (id ID) PromptDigest() Digest { return id.prompt }

// OwnerKey returns the owner CA's public key: ed25519.PublicKey,
// *ecdsa.PublicKey or *rsa.PublicKey.
func (id ID) OwnerKey() crypto.PublicKey { return id.key }

// OwnerMultikey returns the owner key as it appears in the identifier.
func (id ID) OwnerMultikey() string { return id.owner }
