package jose_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/jwk"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// An issuer with a did:jwk identity secures a credential as vc+jwt; a verifier that resolves
// did:jwk checks it at a given time.
func ExampleSignCredential() {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // an HSM crypto.Signer works too
	pub, _ := did.NewJWK(key.Public())
	issuer, _ := jwk.New(pub)

	cred, err := vc.ParseCredential([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential"],
	  "issuer": "`+issuer.String()+`",
	  "validFrom": "2026-01-01T00:00:00Z",
	  "credentialSubject": {"id": "did:example:agent", "action": "payments:create"}
	}`), vc.ParseOptions{})
	if err != nil {
		panic(err)
	}
	token, err := jose.SignCredential(context.Background(), cred, key, jose.SignOptions{KeyID: issuer.String() + "#0"})
	if err != nil {
		panic(err)
	}

	verified, err := jose.VerifyCredential(context.Background(), token, jose.VerifyOptions{
		Resolver: jwk.Resolver{},
		Now:      time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(verified.Header.Algorithm, verified.Header.Type)
	fmt.Println(verified.Credential.Issuer().ID == issuer.String())
	fmt.Println(strings.SplitN(jose.Envelope(token)["id"].(string), ",", 2)[0])
	// Output:
	// EdDSA vc+jwt
	// true
	// data:application/vc+jwt
}
