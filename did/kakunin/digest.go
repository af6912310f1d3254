package kakunin

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/jcs"
)

// ErrInvalidManifest is wrapped by every error about a model or prompt manifest.
var ErrInvalidManifest = errors.New("kakunin: invalid manifest")

// Bounds on model manifests.
const (
	MaxManifestFiles = 100_000
	MaxPathLength    = 4096
	maxJSONInteger   = 1<<53 - 1 // sizes above it have no exact JSON number
)

// DigestOptions configures model hashing. The zero value is ready to use.
type DigestOptions struct {
	// Progress, if set, is called after each buffer with the bytes hashed so far
	// (over all files).
	Progress func(done int64)
	// BufferSize is the size of the one read buffer used for all files; zero means
	// 1 MiB. Memory use does not depend on the size of the model.
	BufferSize int
}

type hasher struct {
	opts DigestOptions
	buf  []byte
	h    hash.Hash
	done int64
}

func newHasher(opts DigestOptions) *hasher {
	size := opts.BufferSize
	if size <= 0 {
		size = 1 << 20
	}
	return &hasher{opts: opts, buf: make([]byte, size), h: sha256.New()}
}

// hash returns the SHA-256 of r and its length, reading through one reusable buffer.
func (x *hasher) hash(r io.Reader) (Digest, int64, error) {
	x.h.Reset()
	var n int64
	for {
		k, err := r.Read(x.buf)
		if k > 0 {
			x.h.Write(x.buf[:k])
			n += int64(k)
			x.done += int64(k)
			if x.opts.Progress != nil {
				x.opts.Progress(x.done)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return Digest{}, n, err
		}
	}
	var d Digest
	x.h.Sum(d[:0])
	return d, n, nil
}

// DigestModel returns the model digest of the file or directory at name: the
// SHA-256 of a single file's bytes, or for a directory the digest of the
// ModelManifest of every regular file under it.
func DigestModel(name string, opts DigestOptions) (Digest, error) {
	info, err := os.Stat(name)
	if err != nil {
		return Digest{}, err
	}
	if info.IsDir() {
		m, err := NewModelManifest(os.DirFS(name), opts)
		if err != nil {
			return Digest{}, err
		}
		return m.Digest()
	}
	f, err := os.Open(name)
	if err != nil {
		return Digest{}, err
	}
	defer f.Close()
	d, _, err := newHasher(opts).hash(f)
	return d, err
}

// FileEntry is one file of a ModelManifest.
type FileEntry struct {
	Path   string `json:"path"`   // slash-separated, relative to the model root
	Size   int64  `json:"size"`   // bytes
	SHA256 string `json:"sha256"` // 64 lower-case hex digits
}

// ModelManifest lists the files of a model made of several files. Its digest is the
// SHA-256 of its JCS (RFC 8785) form, {"files":[…]} with the entries sorted by
// path (byte-wise on UTF-8).
type ModelManifest struct {
	Files []FileEntry `json:"files"`
}

// NewModelManifest hashes every regular file of fsys. Symbolic links and other
// non-regular files are errors, so the digest never depends on what lies outside
// the model root.
func NewModelManifest(fsys fs.FS, opts DigestOptions) (*ModelManifest, error) {
	x := newHasher(opts)
	m := &ModelManifest{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file", ErrInvalidManifest, p)
		}
		if len(m.Files) == MaxManifestFiles {
			return fmt.Errorf("%w: more than %d files", ErrInvalidManifest, MaxManifestFiles)
		}
		entry, err := hashEntry(fsys, p, x)
		m.Files = append(m.Files, entry)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, m.validate()
}

func hashEntry(fsys fs.FS, p string, x *hasher) (FileEntry, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return FileEntry{}, err
	}
	defer f.Close()
	d, n, err := x.hash(f)
	return FileEntry{Path: p, Size: n, SHA256: d.String()}, err
}

// Canonical returns the JCS form of m, the bytes whose SHA-256 is the model digest.
// It sorts a copy of the entries and fails on an entry that breaks the manifest
// rules of the specification.
func (m *ModelManifest) Canonical() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	sorted := ModelManifest{Files: slices.Clone(m.Files)}
	slices.SortFunc(sorted.Files, func(a, b FileEntry) int { return strings.Compare(a.Path, b.Path) })
	return jcs.Options{MaxBytes: 512 << 20}.Marshal(sorted)
}

// Digest returns the model digest: the SHA-256 of Canonical.
func (m *ModelManifest) Digest() (Digest, error) {
	b, err := m.Canonical()
	if err != nil {
		return Digest{}, err
	}
	return sha256.Sum256(b), nil
}

func (m *ModelManifest) validate() error {
	if len(m.Files) == 0 || len(m.Files) > MaxManifestFiles {
		return fmt.Errorf("%w: %d files, want 1 to %d", ErrInvalidManifest, len(m.Files), MaxManifestFiles)
	}
	seen := make(map[string]bool, len(m.Files))
	for _, f := range m.Files {
		if err := validEntry(f); err != nil {
			return err
		}
		if seen[f.Path] {
			return fmt.Errorf("%w: path %q repeated", ErrInvalidManifest, f.Path)
		}
		seen[f.Path] = true
	}
	return nil
}

func validEntry(f FileEntry) error {
	p := f.Path
	if p == "" || len(p) > MaxPathLength || !utf8.ValidString(p) || !fs.ValidPath(p) || p == "." || path.Clean(p) != p || strings.Contains(p, "\\") {
		return fmt.Errorf("%w: path %.80q is not a clean relative slash-separated path", ErrInvalidManifest, p)
	}
	if f.Size < 0 || f.Size > maxJSONInteger {
		return fmt.Errorf("%w: %q: size %d out of range", ErrInvalidManifest, p, f.Size)
	}
	if d, err := parseHexDigest(f.SHA256); err != nil || d.String() != f.SHA256 {
		return fmt.Errorf("%w: %q: sha256 is not 64 lower-case hex digits", ErrInvalidManifest, p)
	}
	return nil
}

// HostedModelDigest returns the model digest of a model the owner cannot hash (a
// model behind a provider's API): the SHA-256 of the JCS form of
// {"provider","model","version"}. It commits to a name, not to weights.
func HostedModelDigest(provider, model, version string) (Digest, error) {
	if provider == "" || model == "" || version == "" {
		return Digest{}, fmt.Errorf("%w: provider, model and version are required", ErrInvalidManifest)
	}
	b, err := jcs.Marshal(map[string]string{"provider": provider, "model": model, "version": version})
	if err != nil {
		return Digest{}, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	return sha256.Sum256(b), nil
}
