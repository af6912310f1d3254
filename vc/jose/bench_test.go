package jose

import (
	"context"
	"testing"
)

// BenchmarkSignCredential issues an EdDSA vc+jwt over credentialJSON: about 25 claims with
// an issuer object and a status entry.
func BenchmarkSignCredential(b *testing.B) {
	issuer := newParty(b, "issuer", testSigner(b, EdDSA))
	cred := parseCredential(b, credentialJSON(issuer.did))
	opts := SignOptions{KeyID: issuer.kid("key-1")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignCredential(context.Background(), cred, issuer.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCredential verifies that token, key discovery through an in-memory resolver
// included.
func BenchmarkVerifyCredential(b *testing.B) {
	issuer := newParty(b, "issuer", testSigner(b, EdDSA))
	token, err := SignCredential(context.Background(), parseCredential(b, credentialJSON(issuer.did)), issuer.signer, SignOptions{KeyID: issuer.kid("key-1")})
	if err != nil {
		b.Fatal(err)
	}
	opts := VerifyOptions{Resolver: resolverOf(issuer), Now: testNow}
	b.SetBytes(int64(len(token)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyCredential(context.Background(), token, opts); err != nil {
			b.Fatal(err)
		}
	}
}
