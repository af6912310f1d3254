package ca_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// ExampleOptions_onRevoke cascades a revocation after its commit, and finds it
// again with Revocations, as a server does at start to repair a cascade lost to a
// crash.
func ExampleOptions_onRevoke() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ca-example")
	defer os.RemoveAll(dir)
	db, err := backend.Open(ctx, filepath.Join(dir, "registry.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	authority, err := ca.New(db, ca.Options{BaseURL: "https://ca.example.com",
		OnRevoke: func(ctx context.Context, did string, reason ca.Reason) {
			// Suspend the agent's credentials, drop cached resolutions: idempotently.
			fmt.Println("revoked:", ca.ReasonName(reason))
		}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ownerSeed := sha256.Sum256([]byte("example owner"))
	if _, err := authority.InitOwner(ctx, ca.OwnerRequest{ID: "example", Signer: ed25519.NewKeyFromSeed(ownerSeed[:])}); err != nil {
		fmt.Println(err)
		return
	}
	_, agentKey, _ := ed25519.GenerateKey(rand.Reader)
	csr, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, agentKey)
	issued, err := authority.Enroll(ctx, ca.EnrollRequest{Owner: "example", Actor: "admin-token-1", CSR: csr,
		ModelDigest:  kakunin.Digest(sha256.Sum256([]byte("model weights"))),
		PromptDigest: kakunin.Digest(sha256.Sum256([]byte("prompt manifest")))})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = authority.Revoke(ctx, ca.RevokeRequest{Owner: "example", Actor: "admin-token-1",
		Serial: issued.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise})
	if err != nil {
		fmt.Println(err)
		return
	}
	revs, err := authority.Revocations(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("to re-apply:", len(revs), revs[0].DID == issued.ID.String())
	// Output:
	// revoked: keyCompromise
	// to re-apply: 1 true
}
