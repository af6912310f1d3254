package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
)

// maxKeyFileSize bounds what Open reads from a key file: an RSA-3072 PKCS#8 PEM is
// about 2.5 KiB.
const maxKeyFileSize = 64 << 10

// fileSigner is a software key loaded from a PKCS#8 PEM file.
type fileSigner struct {
	path string
	alg  Algorithm
	pub  crypto.PublicKey

	mu  sync.RWMutex
	key crypto.Signer // nil once closed
}

var _ Signer = (*fileSigner)(nil)

// filePath returns the file path of a "file:" URI or a plain path.
func filePath(uri string) (string, error) {
	if uri == "" {
		return "", &URIError{URI: `""`, Reason: "empty"}
	}
	if !strings.HasPrefix(uri, "file:") {
		return uri, nil
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "", &URIError{URI: "file:", Reason: "does not parse"}
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", &URIError{URI: u.Redacted(), Reason: "names a remote host"}
	}
	path := u.Path
	if path == "" {
		path = u.Opaque
	}
	if path == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &URIError{URI: u.Redacted(), Reason: "needs a path and nothing else"}
	}
	return path, nil
}

// readPrivateFile reads a file that holds a secret, refusing one that group or others
// may read or write, or that is not a regular file.
func readPrivateFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keys: open %s: %w", path, pathErr(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keys: stat %s: %w", path, pathErr(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrInvalidKey, path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; run chmod 600 %s", ErrInsecurePermissions, path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("keys: read %s: %w", path, pathErr(err))
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrInvalidKey, path, maxKeyFileSize)
	}
	return data, nil
}

// pathErr keeps the os error's kind (errors.Is(err, fs.ErrNotExist) holds) and maps a
// missing file to ErrKeyNotFound as well.
func pathErr(err error) error {
	if os.IsNotExist(err) {
		return fmt.Errorf("%w: %w", ErrKeyNotFound, err)
	}
	return err
}

func openFile(path string) (Signer, error) {
	data, err := readPrivateFile(path)
	if err != nil {
		return nil, err
	}
	defer clear(data)
	key, err := parsePKCS8PEM(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidKey, path, err)
	}
	return newFileSigner(path, key)
}

// parsePKCS8PEM returns the private key of the one "PRIVATE KEY" PEM block in data.
// Its errors never quote the input.
func parsePKCS8PEM(data []byte) (crypto.Signer, error) {
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("no PKCS#8 \"PRIVATE KEY\" PEM block")
	}
	defer clear(block.Bytes)
	if len(strings.TrimSpace(string(rest))) != 0 {
		return nil, fmt.Errorf("data after the PEM block")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("PKCS#8 does not parse")
	}
	switch k := parsed.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedAlgorithm, parsed)
}

func newFileSigner(path string, key crypto.Signer) (*fileSigner, error) {
	alg, err := algorithmOf(key.Public())
	if err != nil {
		return nil, err
	}
	return &fileSigner{path: path, alg: alg, pub: key.Public(), key: key}, nil
}

func (s *fileSigner) Public() crypto.PublicKey { return s.pub }
func (s *fileSigner) Algorithm() Algorithm     { return s.alg }

// String names the file and algorithm, never the key.
func (s *fileSigner) String() string {
	return "keys.Signer(file:" + s.path + ", " + s.alg.String() + ")"
}

// GoString keeps %#v from printing the key.
func (s *fileSigner) GoString() string { return s.String() }

// Sign signs digest (a message for Ed25519) after checking opts suit the algorithm.
func (s *fileSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if err := checkSignerOpts(s.alg, digest, opts); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key == nil {
		return nil, fmt.Errorf("%w: %s", ErrClosed, s)
	}
	sig, err := s.key.Sign(rand, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("keys: sign with %s: %w", s, err)
	}
	return sig, nil
}

// Close forgets the key, zeroing Ed25519 key bytes. It is safe to call twice.
func (s *fileSigner) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.key.(ed25519.PrivateKey); ok {
		clear(k)
	}
	s.key = nil
	return nil
}

// checkSignerOpts rejects options the algorithm cannot honour: Ed25519 signs the
// message itself (pure Ed25519, no prehash, no context), the others sign a digest of
// the length opts names.
func checkSignerOpts(alg Algorithm, digest []byte, opts crypto.SignerOpts) error {
	if opts == nil {
		return fmt.Errorf("%w: nil options", ErrInvalidSignerOpts)
	}
	if alg == Ed25519 {
		if o, ok := opts.(*ed25519.Options); ok && o.Context != "" {
			return fmt.Errorf("%w: Ed25519ctx is not supported", ErrInvalidSignerOpts)
		}
		if opts.HashFunc() != crypto.Hash(0) {
			return fmt.Errorf("%w: Ed25519 signs the message, not a %v digest", ErrInvalidSignerOpts, opts.HashFunc())
		}
		return nil
	}
	h := opts.HashFunc()
	if h == crypto.Hash(0) || !h.Available() || h.Size() != len(digest) {
		return fmt.Errorf("%w: %v needs a digest of the hash the options name", ErrInvalidSignerOpts, alg)
	}
	return nil
}

func generateKey(alg Algorithm) (crypto.Signer, error) {
	switch {
	case alg == Ed25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case alg.curve() != nil:
		return ecdsa.GenerateKey(alg.curve(), rand.Reader)
	case alg.rsaBits() != 0:
		return rsa.GenerateKey(rand.Reader, alg.rsaBits())
	}
	return nil, fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, alg)
}

func generateFile(path string, alg Algorithm) (Signer, error) {
	key, err := generateKey(alg)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("keys: encode %v key: %w", alg, err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	clear(der)
	defer clear(pemBytes)
	if err := writeNewPrivateFile(path, pemBytes); err != nil {
		return nil, err
	}
	return newFileSigner(path, key)
}
