package x509_test

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
	didx509 "github.com/kakunin-dev/kakunin/did/x509"
)

func Example() {
	// The identifier of the spec's example: a CA pinned by fingerprint, and the
	// subject fields the leaf certificate must have.
	const id = "did:x509:0:sha256:WE4P5dd8DnLHSkyHaIjhp4udlkF9LqoKwCvu9gl38jk::subject:C:US:ST:California:O:Example%20Organisation"
	parsed, err := didx509.ParseID(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(parsed.Algorithm, parsed.Predicates[0].Name)

	// Resolution needs the chain; without it the option is missing.
	_, err = didx509.Resolver{}.Resolve(context.Background(), id, did.ResolutionOptions{})
	fmt.Println(did.ProblemFor(err).Type)
	// Output:
	// sha256 subject
	// https://www.w3.org/ns/did#INVALID_OPTIONS
}
