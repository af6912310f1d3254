package kakunin

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestDigestModelFileAndDirectory(t *testing.T) {
	dir := t.TempDir()
	data := []byte("weights")
	if err := os.WriteFile(filepath.Join(dir, "w.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var last int64
	got, err := DigestModel(filepath.Join(dir, "w.bin"), DigestOptions{BufferSize: 3, Progress: func(n int64) { last = n }})
	if err != nil || got != sha256.Sum256(data) || last != int64(len(data)) {
		t.Fatalf("file digest %v, err %v, progress %d", got, err, last)
	}
	// A directory's digest is the digest of its manifest's JCS form.
	want := sha256.Sum256([]byte(`{"files":[{"path":"w.bin","sha256":"` + Digest(sha256.Sum256(data)).String() + `","size":7}]}`))
	if got, err := DigestModel(dir, DigestOptions{}); err != nil || got != want {
		t.Fatalf("directory digest %v, %v", got, err)
	}
}

func TestDigestModelExample(t *testing.T) {
	var ex struct{ ModelDigest, ModelManifest string }
	readJSON(t, "testdata/corpus/example.json", &ex)
	got, err := DigestModel(filepath.Join("testdata", "example", "model"), DigestOptions{})
	if err != nil || got.String() != ex.ModelDigest {
		t.Fatalf("example model digest %v, %v; want %s", got, err, ex.ModelDigest)
	}
	if got != sha256.Sum256([]byte(ex.ModelManifest)) {
		t.Fatal("model digest is not the SHA-256 of the manifest")
	}
}

func TestModelManifestRules(t *testing.T) {
	sum := Digest(sha256.Sum256(nil)).String()
	entry := func(p string) FileEntry { return FileEntry{Path: p, SHA256: sum} }
	tests := []struct {
		name  string
		files []FileEntry
	}{
		{"empty", nil},
		{"absolute", []FileEntry{entry("/etc/passwd")}},
		{"dot-dot", []FileEntry{entry("a/../b")}},
		{"dot", []FileEntry{entry(".")}},
		{"backslash", []FileEntry{entry(`a\b`)}},
		{"trailing slash", []FileEntry{entry("a/")}},
		{"duplicate", []FileEntry{entry("a"), entry("a")}},
		{"upper-case hex", []FileEntry{{Path: "a", SHA256: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}}},
		{"negative size", []FileEntry{{Path: "a", Size: -1, SHA256: sum}}},
		{"size beyond 2^53", []FileEntry{{Path: "a", Size: 1 << 53, SHA256: sum}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &ModelManifest{Files: tt.files}
			if _, err := m.Digest(); !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("Digest: %v, want ErrInvalidManifest", err)
			}
		})
	}
}

func TestModelManifestOrderIndependent(t *testing.T) {
	fsys := fstest.MapFS{"b/z.bin": {Data: []byte("1")}, "a.bin": {Data: []byte("2")}, "b/a.bin": {Data: []byte("3")}}
	m, err := NewModelManifest(fsys, DigestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reversed := &ModelManifest{Files: []FileEntry{m.Files[2], m.Files[1], m.Files[0]}}
	d1, _ := m.Digest()
	d2, err := reversed.Digest()
	if err != nil || d1 != d2 {
		t.Fatalf("digest depends on entry order: %v", err)
	}
}

func TestModelManifestRejectsSymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "link")); err != nil {
		t.Skip(err)
	}
	if _, err := DigestModel(dir, DigestOptions{}); !errors.Is(err, ErrInvalidManifest) {
		t.Fatalf("symlink: %v, want ErrInvalidManifest", err)
	}
}

func TestHostedModelDigest(t *testing.T) {
	got, err := HostedModelDigest("example", "model-x", "2026-01-01")
	want := sha256.Sum256([]byte(`{"model":"model-x","provider":"example","version":"2026-01-01"}`))
	if err != nil || got != want {
		t.Fatalf("HostedModelDigest = %v, %v", got, err)
	}
	if _, err := HostedModelDigest("", "m", "v"); !errors.Is(err, ErrInvalidManifest) {
		t.Fatalf("empty provider: %v", err)
	}
}
