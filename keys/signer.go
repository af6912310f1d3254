package keys

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
)

// Signer is a private key that signs: a [crypto.Signer] that reports its algorithm and
// releases what it holds (a file key's bytes, a PKCS#11 session and module) on Close.
// After Close, Sign returns an error wrapping [ErrClosed].
//
// Signers are safe for concurrent use. Their String method names the key (path, or
// token and object) and never prints the key or a PIN.
type Signer interface {
	crypto.Signer
	Algorithm() Algorithm
	Close() error
}

// Errors callers branch on. Every error this package returns wraps one of them, or a
// [*URIError], and names no private key or PIN.
var (
	// ErrUnsupportedAlgorithm: a key type, curve or size other than the [Algorithm]s.
	ErrUnsupportedAlgorithm = errors.New("keys: unsupported algorithm")
	// ErrInvalidURI: the key URI does not parse or lacks a required attribute.
	ErrInvalidURI = errors.New("keys: invalid key URI")
	// ErrInsecurePermissions: a private key or PIN file is readable or writable by
	// group or others.
	ErrInsecurePermissions = errors.New("keys: private key file permissions too open")
	// ErrInvalidKey: the file does not hold one PKCS#8 PEM private key.
	ErrInvalidKey = errors.New("keys: invalid private key file")
	// ErrKeyExists: Generate found a key already at that URI; nothing was changed.
	ErrKeyExists = errors.New("keys: key already exists")
	// ErrKeyNotFound: no key at that URI.
	ErrKeyNotFound = errors.New("keys: key not found")
	// ErrHSMUnavailable: the PKCS#11 module, token or login failed. Signing fails
	// closed: no other key is used.
	ErrHSMUnavailable = errors.New("keys: HSM unavailable")
	// ErrClosed: the signer was closed.
	ErrClosed = errors.New("keys: signer closed")
	// ErrInvalidSignerOpts: Sign got options the algorithm cannot honour, such as a
	// hash for Ed25519 or a digest of the wrong length.
	ErrInvalidSignerOpts = errors.New("keys: invalid signer options")
)

// URIError reports a key URI that is not usable. URI is the redacted form: PIN values
// are replaced by "REDACTED".
type URIError struct {
	URI    string
	Reason string
}

func (e *URIError) Error() string { return "keys: key URI " + e.URI + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidURI) hold.
func (e *URIError) Unwrap() error { return ErrInvalidURI }

// Open returns the signer named by uri: a PKCS#11 key for a "pkcs11:" URI, otherwise a
// PKCS#8 PEM file ("file:" URI or plain path). ctx is checked before the file or
// module is opened; PKCS#11 calls themselves cannot be cancelled.
func Open(ctx context.Context, uri string) (Signer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if isPKCS11(uri) {
		u, err := ParsePKCS11URI(uri)
		if err != nil {
			return nil, err
		}
		return openPKCS11(ctx, u)
	}
	path, err := filePath(uri)
	if err != nil {
		return nil, err
	}
	return openFile(path)
}

// Generate creates a new key of algorithm alg at uri and returns its signer. It never
// replaces an existing key: when one is there it returns an error wrapping
// [ErrKeyExists]. A PKCS#11 URI needs object=, id= or both; an absent id is random.
func Generate(ctx context.Context, uri string, alg Algorithm) (Signer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, ok := algorithmNames[alg]; !ok {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, alg)
	}
	if isPKCS11(uri) {
		u, err := ParsePKCS11URI(uri)
		if err != nil {
			return nil, err
		}
		return generatePKCS11(ctx, u, alg)
	}
	path, err := filePath(uri)
	if err != nil {
		return nil, err
	}
	return generateFile(path, alg)
}

func isPKCS11(uri string) bool { return strings.HasPrefix(strings.ToLower(uri), "pkcs11:") }
