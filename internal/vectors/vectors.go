// Package vectors locates the published conformance vectors that tests read from
// ../shared/vectors beside the repository (they are not copied into the project).
package vectors

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the path of ../shared/vectors/<sub> relative to the module root, or
// skips the test with a clear message when that folder is absent. CI always has it.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatalf("vectors: %v", err)
	}
	dir := filepath.Join(root, "..", "shared", "vectors", sub)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("vectors: %s is absent (the shared vectors folder is not beside this checkout): skipping", dir)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
