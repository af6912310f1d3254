package x509

import (
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// FuzzParseID: no panics, every error carries a did.ErrorKind, and an accepted ID
// keeps its DID.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		"did:x509:0:sha256:WE4P5dd8DnLHSkyHaIjhp4udlkF9LqoKwCvu9gl38jk::subject:C:US:ST:California:O:Example%20Organisation",
		"did:x509:0:sha256:abc::san:email:bob%40example.com::eku:1.2.3",
		"did:x509:0:sha512:a::fulcio-issuer:accounts.google.com#0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			var k *did.ErrorKind
			if !errors.As(err, &k) {
				t.Fatalf("%q: error without kind: %v", s, err)
			}
			return
		}
		if len(id.Predicates) == 0 || id.DID.Method != "x509" {
			t.Fatalf("%q accepted as %+v", s, id)
		}
	})
}

// FuzzParseChain: no panics on arbitrary x509chain values; errors are INVALID_OPTIONS.
func FuzzParseChain(f *testing.F) {
	f.Add("MIIB,MIIC")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseChain(s); err != nil && !errors.Is(err, did.ErrInvalidOptions) {
			t.Fatalf("%q: %v", s, err)
		}
	})
}
