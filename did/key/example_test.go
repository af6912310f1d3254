package key_test

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
)

func ExampleResolver() {
	const id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	res, err := key.Resolver{}.Resolve(context.Background(), id, did.ResolutionOptions{})
	if err != nil {
		panic(err)
	}
	vm, err := res.DIDDocument.Authorized(id+"#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.AssertionMethod)
	if err != nil {
		panic(err)
	}
	pub, _ := vm.PublicKey()
	fmt.Printf("%s %T\n", vm.Type, pub)
	// Output:
	// Multikey ed25519.PublicKey
}
