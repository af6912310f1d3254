package jwk

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// The examples of the did:jwk specification.
const (
	p256DID   = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	x25519DID = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)

func TestResolveP256Example(t *testing.T) {
	// The example of the did:jwk specification is a DID 1.0 JSON-LD document.
	res, err := Resolver{}.Resolve(context.Background(), p256DID, did.ResolutionOptions{Accept: did.MediaTypeDIDLDJSON})
	if err != nil {
		t.Fatal(err)
	}
	doc := res.DIDDocument
	vm, err := doc.Authorized(p256DID+"#0", did.AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Type != did.TypeJSONWebKey2020 || vm.PublicKeyJwk.X != "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0" || vm.PublicKeyJwk.Y != "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE" {
		t.Fatalf("method %+v", vm)
	}
	for _, rel := range []did.Relationship{did.Authentication, did.CapabilityInvocation, did.CapabilityDelegation, did.KeyAgreement} {
		if _, err := doc.Authorized("#0", rel); err != nil {
			t.Error(rel, err)
		}
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}
	want := []any{did.ContextV1, "https://w3id.org/security/suites/jws-2020/v1"}
	if len(doc.Context) != 2 || doc.Context[0] != want[0] || doc.Context[1] != want[1] {
		t.Fatalf("@context %v", doc.Context)
	}
	// New gives back the published DID from the same key members.
	again, err := New(&did.JWK{Kty: "EC", Crv: "P-256", X: vm.PublicKeyJwk.X, Y: vm.PublicKeyJwk.Y})
	if err != nil || again.String() != p256DID {
		t.Fatalf("New = %s, %v", again, err)
	}
}

func TestResolveX25519Example(t *testing.T) {
	res, err := Resolver{}.Resolve(context.Background(), x25519DID, did.ResolutionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc := res.DIDDocument
	if len(doc.KeyAgreement) != 1 || doc.AssertionMethod != nil || doc.Authentication != nil {
		t.Fatalf("use=enc must give keyAgreement only: %+v", doc)
	}
}

func TestUseSig(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	j, _ := did.NewJWK(&k.PublicKey)
	j.Use = "sig"
	d, err := New(j)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Resolver{Type: did.TypeJSONWebKey}.Resolve(context.Background(), d.String(), did.ResolutionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.DIDDocument.KeyAgreement != nil || len(res.DIDDocument.AssertionMethod) != 1 || res.DIDDocument.VerificationMethod[0].Type != did.TypeJSONWebKey {
		t.Fatalf("use=sig: %+v", res.DIDDocument)
	}
}

func TestResolveErrors(t *testing.T) {
	enc := func(s string) string { return "did:jwk:" + b64url.EncodeToString([]byte(s)) }
	cases := []struct{ name, did string }{
		{"private key", enc(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE","d":"gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"}`)},
		{"symmetric key", enc(`{"kty":"oct","k":"AAAA"}`)},
		{"off curve", enc(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0"}`)},
		{"X25519 for signing", enc(`{"kty":"OKP","crv":"X25519","use":"sig","x":"3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08"}`)},
		{"not JSON", enc(`kty`)},
		{"duplicate member", enc(`{"kty":"OKP","kty":"OKP"}`)},
		{"padding", p256DID + "%3D"},
		{"base64 std", "did:jwk:ab+c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Resolver{}.Resolve(context.Background(), c.did, did.ResolutionOptions{})
			if !errors.Is(err, did.ErrInvalidDID) || res.DIDResolutionMetadata.Error == nil || res.DIDDocument != nil {
				t.Fatalf("err = %v, result %+v", err, res)
			}
		})
	}
	if _, err := (Resolver{}).Resolve(context.Background(), "did:key:z6Mk", did.ResolutionOptions{}); !errors.Is(err, did.ErrMethodNotSupported) {
		t.Fatalf("did:key: %v", err)
	}
}

// TestResolveRepresentation checks that Accept picks the representation and its @context,
// and that an unsupported one fails with the matching error result.
func TestResolveRepresentation(t *testing.T) {
	cases := []struct {
		accept, contentType string
		context             string // the first @context entry; "" for none
	}{
		{"", did.MediaTypeDID, did.ContextV1_1},
		{did.MediaTypeDIDLDJSON, did.MediaTypeDIDLDJSON, did.ContextV1},
		{did.MediaTypeDID, did.MediaTypeDID, did.ContextV1_1},
		{did.MediaTypeDIDJSON, did.MediaTypeDIDJSON, ""},
	}
	for _, c := range cases {
		t.Run(c.contentType, func(t *testing.T) {
			res, err := Resolver{}.Resolve(context.Background(), p256DID, did.ResolutionOptions{Accept: c.accept})
			if err != nil {
				t.Fatal(err)
			}
			ctx := res.DIDDocument.Context
			if res.DIDResolutionMetadata.ContentType != c.contentType || (c.context == "") != (len(ctx) == 0) || len(ctx) > 0 && ctx[0] != c.context {
				t.Fatalf("contentType %q, @context %v", res.DIDResolutionMetadata.ContentType, res.DIDDocument.Context)
			}
		})
	}
	res, err := Resolver{}.Resolve(context.Background(), p256DID, did.ResolutionOptions{Accept: "text/html"})
	if !errors.Is(err, did.ErrRepresentationNotSupported) || res.DIDDocument != nil || res.DIDResolutionMetadata.Error == nil {
		t.Fatalf("err = %v, result %+v", err, res)
	}
}
