package web_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/web"
)

func ExampleURL() {
	d, _ := did.Parse("did:web:example.com%3A3000:user:alice")
	u, err := web.URL(d)
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	// Output:
	// https://example.com:3000/user/alice/did.json
}

func ExampleResolver_Resolve() {
	r := web.New(web.Config{})
	// An IP address is not a did:web host; nothing is fetched.
	_, err := r.Resolve(context.Background(), "did:web:169.254.169.254", did.ResolutionOptions{})
	fmt.Println(errors.Is(err, web.ErrInvalidHost), did.ProblemFor(err).Status)
	// Output:
	// true 400
}
