package auth

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
)

// Token text layout.
const (
	Prefix       = "kak_"
	idBytes      = 10 // 16 base32 characters
	secretBytes  = 32 // 256 bits, 52 base32 characters
	idLen        = 16
	secretLen    = 52
	TokenLength  = len(Prefix) + idLen + 1 + secretLen
	maxHeaderLen = 512 // bound on the Authorization header read
)

// ErrMalformed: the text is not a kakunin API token. It wraps ErrUnauthenticated.
var ErrMalformed = fmt.Errorf("%w: malformed token", ErrUnauthenticated)

// errNoToken: the request carries no bearer credential at all.
var errNoToken = fmt.Errorf("%w: no bearer token", ErrUnauthenticated)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken returns a fresh token read from rand (crypto/rand in production), its
// id and the SHA-256 hash to store.
func NewToken(rand io.Reader) (text, id string, hash [sha256.Size]byte, err error) {
	buf := make([]byte, idBytes+secretBytes)
	if _, err := io.ReadFull(rand, buf); err != nil {
		return "", "", hash, fmt.Errorf("auth: token randomness: %w", err)
	}
	id = strings.ToLower(b32.EncodeToString(buf[:idBytes]))
	text = Prefix + id + "_" + strings.ToLower(b32.EncodeToString(buf[idBytes:]))
	clear(buf)
	return text, id, Hash(text), nil
}

// Hash is the SHA-256 of a token's text, as the store keeps it.
func Hash(text string) [sha256.Size]byte { return sha256.Sum256([]byte(text)) }

// ParseID checks the layout of a token's text and returns its id. The error never
// contains the text.
func ParseID(text string) (string, error) {
	if len(text) != TokenLength || !strings.HasPrefix(text, Prefix) {
		return "", ErrMalformed
	}
	id, secret, ok := strings.Cut(text[len(Prefix):], "_")
	if !ok || len(id) != idLen || len(secret) != secretLen || !isBase32(id) || !isBase32(secret) {
		return "", ErrMalformed
	}
	return id, nil
}

func isBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// bearer extracts the token of an "Authorization: Bearer" header (RFC 6750 §2.1:
// the scheme is case-insensitive).
func bearer(header string) (string, error) {
	if header == "" {
		return "", errNoToken
	}
	if len(header) > maxHeaderLen {
		return "", ErrMalformed
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", fmt.Errorf("%w: not a bearer credential", errNoToken)
	}
	return strings.TrimSpace(token), nil
}
