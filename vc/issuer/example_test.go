package issuer_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

func ExampleIssuer_Issue() {
	seed := sha256.Sum256([]byte("example issuer key"))
	signer := ed25519.NewKeyFromSeed(seed[:])
	id, _ := key.New(signer.Public())
	is, err := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: "https://issuer.example"},
		issuer.Instance{Name: "main", DID: id.String(), VerificationMethod: id.String() + "#" + id.ID, Signer: signer})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := is.Issue(context.Background(), issuer.IssueRequest{
		Credential: []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
			"name": "Example", "credentialSubject": {"id": "` + id.String() + `"}}`),
		Caller: issuer.Caller{ID: "client-1", Tenant: "acme"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := vc.ParseCredential(out.VerifiableCredential, vc.ParseOptions{})
	proof, _ := c.Get("proof")
	fmt.Println(c.Issuer().ID == id.String(), proof.(map[string]any)["cryptosuite"])
	for _, s := range out.Status {
		fmt.Println(s.Purpose)
	}
	// Output:
	// true eddsa-rdfc-2022
	// revocation
	// suspension
}
