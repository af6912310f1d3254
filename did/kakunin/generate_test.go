package kakunin

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCorpusUpToDate regenerates the corpus into a temporary directory and
// compares it with testdata, so the committed files are always what the committed
// generator produces (run `make golden` after changing either).
func TestCorpusUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out := t.TempDir()
	if b, err := exec.Command(goCmd, "run", "./internal/gencorpus", "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, b)
	}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		fresh, _ := os.ReadFile(p)
		committed, err := os.ReadFile(filepath.Join("testdata", rel))
		if err != nil || !bytes.Equal(fresh, committed) {
			t.Errorf("testdata/%s differs from the generator's output: run make golden", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
