package vectors

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFindsRDFCanon(t *testing.T) {
	dir := Dir(t, "rdf-canon")
	if _, err := os.Stat(filepath.Join(dir, "tests", "manifest.jsonld")); err != nil {
		t.Fatalf("rdf-canon manifest missing under %s: %v", dir, err)
	}
}
