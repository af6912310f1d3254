package issuer_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestConfigBounds: a reservation block or a list capacity out of range is refused
// when the issuer is built, not at the first issuance.
func TestConfigBounds(t *testing.T) {
	seed := sha256.Sum256([]byte("config bounds"))
	signer := ed25519.NewKeyFromSeed(seed[:])
	id, _ := key.New(signer.Public())
	in := issuer.Instance{Name: "main", DID: id.String(), VerificationMethod: id.String() + "#" + id.ID, Signer: signer}
	cases := []struct {
		name string
		cfg  func(*issuer.Config)
		ok   bool
	}{
		{"defaults", func(*issuer.Config) {}, true},
		{"capacity of the whole list", func(c *issuer.Config) { c.ListCapacity = status.MinEntries }, true},
		{"capacity above the list", func(c *issuer.Config) { c.ListCapacity = status.MinEntries + 1 }, false},
		{"negative capacity", func(c *issuer.Config) { c.ListCapacity = -1 }, false},
		{"capacity of a longer list", func(c *issuer.Config) {
			c.ListEntries, c.ListCapacity = 2*status.MinEntries, status.MinEntries+1
		}, true},
		{"reserve too large", func(c *issuer.Config) { c.StatusReserve = store.MaxStatusReserve + 1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: "https://issuer.example"}
			c.cfg(&cfg)
			_, err := issuer.New(cfg, in)
			if (err == nil) != c.ok {
				t.Fatalf("New: %v, want ok %v", err, c.ok)
			}
		})
	}
}
