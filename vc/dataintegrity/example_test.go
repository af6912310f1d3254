package dataintegrity_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

func Example() {
	// The issuer's key; any crypto.Signer works, an HSM key included.
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	issuer, _ := key.New(priv.Public())
	credential := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
	  "type": ["VerifiableCredential", "ExampleCredential"],
	  "issuer": "` + issuer.String() + `",
	  "credentialSubject": {"id": "did:example:agent", "scope": "invoices:pay"}
	}`)
	// The examples context is not embedded: register it with the processor.
	loader, _ := jsonld.NewLoader(map[string][]byte{
		"https://www.w3.org/ns/credentials/examples/v2": []byte(`{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}`),
	})
	proc := jsonld.NewProcessor(loader, jsonld.Options{})

	signed, err := dataintegrity.AddProof(credential, priv, dataintegrity.ProofOptions{
		Cryptosuite:        dataintegrity.EdDSARDFC2022,
		VerificationMethod: issuer.String() + "#" + issuer.ID,
		Created:            time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
		JSONLD:             proc,
	})
	if err != nil {
		panic(err)
	}
	res, err := dataintegrity.Verify(context.Background(), signed, dataintegrity.VerifyOptions{
		Resolver: key.Resolver{}, // resolves the did:key of the verification method
		JSONLD:   proc,
	})
	fmt.Println(len(res.Proofs), err)
	// Output:
	// 1 <nil>
}
