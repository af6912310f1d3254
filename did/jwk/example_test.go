package jwk_test

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/jwk"
)

func ExampleNew() {
	d, err := jwk.New(&did.JWK{Kty: "OKP", Crv: "Ed25519", X: "VCpo2LMLhn6iWku8MKvSLg2ZAoC-nlOyPVQaO3FxVeQ", Use: "sig"})
	if err != nil {
		panic(err)
	}
	fmt.Println(d)
	res, err := jwk.Resolver{}.Resolve(context.Background(), d.String(), did.ResolutionOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.DIDDocument.AssertionMethod), len(res.DIDDocument.KeyAgreement))
	// Output:
	// did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwidXNlIjoic2lnIiwieCI6IlZDcG8yTE1MaG42aVdrdThNS3ZTTGcyWkFvQy1ubE95UFZRYU8zRnhWZVEifQ
	// 1 0
}
