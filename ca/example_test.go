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
	"time"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// Example creates an owner CA and enrols an agent instance for a model and prompt.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ca-example")
	defer os.RemoveAll(dir)
	db, err := backend.Open(ctx, filepath.Join(dir, "registry.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	authority, err := ca.New(db, ca.Options{BaseURL: "https://ca.example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The owner key would come from keys.Open("file:…" or "pkcs11:…").
	ownerSeed := sha256.Sum256([]byte("example owner"))
	owner, err := authority.InitOwner(ctx, ca.OwnerRequest{ID: "example", Signer: ed25519.NewKeyFromSeed(ownerSeed[:])})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("owner key:", owner.Multikey)

	// The agent instance makes its own key and CSR.
	_, agentKey, _ := ed25519.GenerateKey(rand.Reader)
	csr, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, agentKey)
	issued, err := authority.Enroll(ctx, ca.EnrollRequest{
		Owner:        "example",
		CSR:          csr,
		ModelDigest:  kakunin.Digest(sha256.Sum256([]byte("model weights"))),
		PromptDigest: kakunin.Digest(sha256.Sum256([]byte("prompt manifest"))),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = kakunin.VerifyChain(issued.Chain, issued.ID, kakunin.VerifyOptions{CurrentTime: time.Now()})
	fmt.Println("chain verifies:", err == nil)
	fmt.Println("SAN URI is the DID:", issued.Certificate.URIs[0].String() == issued.ID.String())
	fmt.Println("OCSP:", issued.Certificate.OCSPServer[0])
	// Output:
	// owner key: z6MknBWQKC1X33ErdtdHRzJrq1jiEpjwbddSosX424ABhfvW
	// chain verifies: true
	// SAN URI is the DID: true
	// OCSP: https://ca.example.com/ca/owners/example/ocsp
}
