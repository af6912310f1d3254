package verifier_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

func ExampleVerifier_VerifyCredential() {
	ctx := context.Background()
	seed := sha256.Sum256([]byte("example issuer key"))
	signer := ed25519.NewKeyFromSeed(seed[:])
	id, _ := key.New(signer.Public())
	is, _ := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: "https://issuer.example"},
		issuer.Instance{Name: "main", DID: id.String(), VerificationMethod: id.String() + "#" + id.ID, Signer: signer})
	caller := issuer.Caller{ID: "client-1", Tenant: "acme"}
	out, err := is.Issue(ctx, issuer.IssueRequest{Caller: caller,
		Credential: []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
			"name": "Example", "credentialSubject": {"id": "` + id.String() + `"}}`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The service reads its own status lists from the issuer; remote ones over HTTPS.
	v, _ := verifier.New(verifier.Config{Resolver: key.Resolver{}, Status: is.Fetcher(nil)})
	r, _ := v.VerifyCredential(ctx, out.VerifiableCredential, verifier.Options{Checks: []string{"proof", "status"}})
	fmt.Println(r.Verified)

	_ = is.Revoke(ctx, out.ID, caller)
	v, _ = verifier.New(verifier.Config{Resolver: key.Resolver{}, Status: is.Fetcher(nil)})
	r, _ = v.VerifyCredential(ctx, out.VerifiableCredential, verifier.Options{Checks: []string{"proof", "status"}})
	for _, c := range r.Checks {
		if c.Err != nil {
			fmt.Println(r.Verified, c.Check, verifier.ProblemOf(c.Err).Type)
		}
	}
	// Output:
	// true
	// false status https://kakunin.dev/problems/verification#REVOKED
}
