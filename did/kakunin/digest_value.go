package kakunin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Digest is a SHA-256 digest: of a model artefact, a model manifest or a prompt
// manifest.
type Digest [sha256.Size]byte

// String returns the 64 lower-case hex digits of d, as they appear in identifiers.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// ParseDigest reads 64 hex digits (either case).
func ParseDigest(s string) (Digest, error) {
	d, err := parseHexDigest(s)
	if err != nil {
		return Digest{}, fmt.Errorf("%w: digest: %v", ErrInvalidID, err)
	}
	return d, nil
}

func parseHexDigest(s string) (Digest, error) {
	var d Digest
	if len(s) != 2*len(d) {
		return d, fmt.Errorf("%d characters, want %d hex digits", len(s), 2*len(d))
	}
	for i := range d {
		hi, lo := hexValue(s[2*i]), hexValue(s[2*i+1])
		if hi < 0 || lo < 0 {
			return Digest{}, fmt.Errorf("non-hex character at offset %d", 2*i)
		}
		d[i] = byte(hi<<4 | lo)
	}
	return d, nil
}

func hexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
