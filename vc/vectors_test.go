package vc

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/vectors"
)

// TestW3CVectorCredentials parses every credential, signed or not, among the W3C Data Integrity
// EdDSA and ECDSA test vectors (including derived selective-disclosure documents).
func TestW3CVectorCredentials(t *testing.T) {
	for _, suite := range []string{"vc-di-eddsa", "vc-di-ecdsa"} {
		root := filepath.Join(vectors.Dir(t, suite), "TestVectors")
		parsed := 0
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var probe map[string]json.RawMessage
			if json.Unmarshal(data, &probe) != nil || probe["credentialSubject"] == nil {
				return nil // keys, proof configurations and other intermediate values
			}
			parsed++
			rel, _ := filepath.Rel(root, path)
			t.Run(suite+"/"+rel, func(t *testing.T) {
				c, err := ParseCredential(data, ParseOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if _, hasProof := probe["proof"]; hasProof {
					if _, ok := c.Get("proof"); !ok {
						t.Fatal("proof not kept")
					}
				}
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if parsed == 0 {
			t.Fatalf("%s: no credential found under %s", suite, root)
		}
	}
}
