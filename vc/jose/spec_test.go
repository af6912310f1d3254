package jose

import (
	"context"
	"crypto/ecdsa"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// specCredential is the enveloped credential of VC-JOSE-COSE §3.1.2, example "A verifiable
// presentation secured with JOSE with an enveloped verifiable credential". The respec plugin
// that renders the specification signed it with the ES384 key of plugin/src/exampleKey.js
// in w3c/vc-jose-cose, whose public half is specKey.
const specCredential = "eyJraWQiOiJFeEhrQk1XOWZtYmt2VjI2Nm1ScHVQMnNVWV9OX0VXSU4xbGFwVXpPOHJvIiwiYWxnIjoiRVMzODQifQ." +
	"eyJAY29udGV4dCI6WyJodHRwczovL3d3dy53My5vcmcvbnMvY3JlZGVudGlhbHMvdjIiLCJodHRwczovL3d3dy53My5vcmcvbnMvY3JlZGVudGlhbHMvZXhhbXBsZXMvdjIiXSwiaWQiOiJodHRwOi8vdW5pdmVyc2l0eS5leGFtcGxlL2NyZWRlbnRpYWxzLzE4NzIiLCJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIiwiRXhhbXBsZUFsdW1uaUNyZWRlbnRpYWwiXSwiaXNzdWVyIjoiaHR0cHM6Ly91bml2ZXJzaXR5LmV4YW1wbGUvaXNzdWVycy81NjUwNDkiLCJ2YWxpZEZyb20iOiIyMDEwLTAxLTAxVDE5OjIzOjI0WiIsImNyZWRlbnRpYWxTY2hlbWEiOnsiaWQiOiJodHRwczovL2V4YW1wbGUub3JnL2V4YW1wbGVzL2RlZ3JlZS5qc29uIiwidHlwZSI6Ikpzb25TY2hlbWEifSwiY3JlZGVudGlhbFN1YmplY3QiOnsiaWQiOiJkaWQ6ZXhhbXBsZToxMjMiLCJkZWdyZWUiOnsidHlwZSI6IkJhY2hlbG9yRGVncmVlIiwibmFtZSI6IkJhY2hlbG9yIG9mIFNjaWVuY2UgYW5kIEFydHMifX19." +
	"d2k4O3FytQJf83kLh-HsXuPvh6yeOlhJELVo5TF71gu7elslQyOf2ZItAXrtbXF4Kz9WivNdztOayz4VUQ0Mwa8yCDZkP9B2pH-9S_tcAFxeoeJ6Z4XnFuL_DOfkR1fP"

var specKey = &did.JWK{Kty: "EC", Crv: "P-384",
	X: "8XkmqX3pxcYduNID8cK4mYA531PV7szaGh-yk-XIM9OQKZSO94y3xe67nyFvt0QP",
	Y: "kWjcg1gBVM752eQzXlMfHwEOzuUB4zCgi2z6X1p03ljAcp6b_FEINR-eONp00gX0"}

// TestSpecExample verifies the specification's ES384 signature with this package's JWS
// code, reads its payload as a credential, and checks that the full verifier still refuses
// it: it has no typ (a SHOULD this verifier requires) and its kid is a bare JWK thumbprint,
// not the DID URL the key discovery needs.
func TestSpecExample(t *testing.T) {
	pub, err := specKey.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	token, err := parseCompact([]byte(specCredential), DefaultMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	if token.header.Algorithm != ES384 || checkKey(ES384, pub) != nil {
		t.Fatalf("header %+v, key %T", token.header, pub)
	}
	if !verifySignature(ES384, pub.(*ecdsa.PublicKey), token.input, token.sig) {
		t.Fatal("the specification's signature does not verify")
	}
	if verifySignature(ES384, pub, token.input[1:], token.sig) {
		t.Fatal("a changed signing input verifies")
	}
	cred, err := vc.ParseCredential(token.payload, vc.ParseOptions{})
	if err != nil || cred.Issuer().ID != "https://university.example/issuers/565049" {
		t.Fatalf("payload: %v", err)
	}
	_, err = VerifyCredential(context.Background(), []byte(specCredential), VerifyOptions{Resolver: resolver{}})
	wantErr(t, err, vc.ErrMalformedValue, ErrType)
}
