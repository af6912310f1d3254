package resolver_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/resolver"
)

func Example() {
	r := resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{})), resolver.WithTimeout(5*time.Second))
	if err := r.Register("key", key.Resolver{}); err != nil {
		panic(err)
	}
	const id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	res, err := r.Resolve(context.Background(), id, did.ResolutionOptions{Accept: did.MediaTypeDID})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.DIDResolutionMetadata.ContentType, res.DIDDocument.Context[0])

	deref, err := r.Dereference(context.Background(), id+"#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", resolver.DereferenceOptions{
		VerificationRelationship: did.AssertionMethod,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(deref.ContentStream.(*did.VerificationMethod).Type)

	_, err = r.Resolve(context.Background(), "did:web:example.com", did.ResolutionOptions{})
	fmt.Println(did.ProblemFor(err).Type)
	// Output:
	// application/did https://www.w3.org/ns/did/v1.1
	// Multikey
	// https://www.w3.org/ns/did#METHOD_NOT_SUPPORTED
}

// A front end serialises a result once per representation and answers later
// requests for it from the rendering kept with the cached result.
func ExampleRegistry_ResolveRendered() {
	r := resolver.New(resolver.WithCache(resolver.NewCache(resolver.CacheConfig{})))
	if err := r.Register("key", key.Resolver{}); err != nil {
		panic(err)
	}
	const id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	opts := did.ResolutionOptions{Accept: did.MediaTypeDIDJSON}
	renders := 0
	render := func(res *did.ResolutionResult) (*resolver.Rendering, error) {
		renders++
		b, err := res.DIDDocument.Marshal(res.DIDResolutionMetadata.ContentType)
		return &resolver.Rendering{Body: b, ContentType: did.MediaTypeDIDJSON}, err
	}
	for range 3 {
		out, _, err := r.ResolveRendered(context.Background(), id, opts, "document", render)
		if err != nil {
			panic(err)
		}
		fmt.Println(out.ContentType, len(out.Body))
	}
	_, kept := r.Rendered(id, opts, "document")
	fmt.Println(renders, kept)
	// Output:
	// application/did+json 886
	// application/did+json 886
	// application/did+json 886
	// 1 true
}
