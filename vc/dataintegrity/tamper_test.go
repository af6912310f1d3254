package dataintegrity

import (
	"context"
	"crypto/elliptic"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc"
)

// TestVerifyRejects signs the test credential with each cryptosuite, checks
// that it verifies, then that each alteration of the document, the proof or
// the verifier's expectations fails with the documented error.
func TestVerifyRejects(t *testing.T) {
	proc := testProcessor(t)
	keys := map[string]testKey{
		EdDSARDFC2022: newTestKey(t, nil), EdDSAJCS2022: newTestKey(t, nil),
		ECDSARDFC2019: newTestKey(t, elliptic.P384()), ECDSAJCS2019: newTestKey(t, elliptic.P256()),
	}
	// foreign is a key of a type the suite under test does not take.
	var foreign testKey
	foreignFor := map[bool]testKey{false: newTestKey(t, elliptic.P256()), true: newTestKey(t, nil)}
	sameTypeOther := map[string]testKey{
		EdDSARDFC2022: newTestKey(t, nil), EdDSAJCS2022: newTestKey(t, nil),
		ECDSARDFC2019: newTestKey(t, elliptic.P256()), ECDSAJCS2019: newTestKey(t, elliptic.P256()),
	}
	var other testKey
	tests := []struct {
		name   string
		sign   func(o *ProofOptions)
		doc    func(d, p map[string]any)
		verify func(o *VerifyOptions)
		want   error
	}{
		{name: "changed claim", doc: func(d, _ map[string]any) {
			d["credentialSubject"].(map[string]any)["maxAmount"] = 50000
		}, want: ErrInvalidSignature},
		{name: "changed issuer name", doc: func(d, _ map[string]any) { d["issuer"].(map[string]any)["name"] = "Mallory" }, want: ErrInvalidSignature},
		{name: "changed created", doc: func(_, p map[string]any) { p["created"] = "2026-11-26T08:00:01Z" }, want: ErrInvalidSignature},
		{name: "added nonce", doc: func(_, p map[string]any) { p["nonce"] = "x" }, want: ErrInvalidSignature},
		{name: "empty member name in proof", doc: func(_, p map[string]any) { p[""] = "x" }, want: vc.ErrCryptographicSecurity},
		{name: "empty member name in subject", doc: func(d, _ map[string]any) {
			d["credentialSubject"].(map[string]any)[""] = "x"
		}, want: vc.ErrCryptographicSecurity},
		{name: "proofValue of another proof", doc: func(_, p map[string]any) { p["proofValue"] = "z" + p["proofValue"].(string)[2:] + "1" }, want: ErrProofVerification},
		{name: "proofValue not base58btc", doc: func(_, p map[string]any) { p["proofValue"] = "u" + p["proofValue"].(string)[1:] }, want: ErrMalformedProof},
		{name: "proofPurpose missing", doc: func(_, p map[string]any) { delete(p, "proofPurpose") }, want: ErrMalformedProof},
		{name: "proof id not a URL", doc: func(_, p map[string]any) { p["id"] = "p 1" }, want: ErrMalformedProof},
		{name: "created not a dateTimeStamp", doc: func(_, p map[string]any) { p["created"] = "2026-11-26T08:00:00" }, want: ErrMalformedProof},
		{name: "unknown cryptosuite", doc: func(_, p map[string]any) { p["cryptosuite"] = "bbs-2023" }, want: ErrUnsupportedCryptosuite},
		{name: "wrong purpose", verify: func(o *VerifyOptions) { o.ProofPurpose = "authentication" }, want: ErrMismatchedProofPurpose},
		{name: "purpose changed in proof", doc: func(_, p map[string]any) { p["proofPurpose"] = "authentication" }, want: ErrMismatchedProofPurpose},
		{name: "expired", sign: func(o *ProofOptions) { o.Expires = testNow.Add(-time.Second) }, want: ErrProofExpired},
		{name: "expires now", sign: func(o *ProofOptions) { o.Expires = testNow }, want: ErrProofExpired},
		{name: "wrong domain", sign: func(o *ProofOptions) { o.Domain = []string{"a.example"} },
			verify: func(o *VerifyOptions) { o.Domain = []string{"b.example"} }, want: ErrInvalidDomain},
		{name: "domain subset", sign: func(o *ProofOptions) { o.Domain = []string{"a.example", "b.example"} },
			verify: func(o *VerifyOptions) { o.Domain = []string{"a.example"} }, want: ErrInvalidDomain},
		{name: "domain expected but absent", verify: func(o *VerifyOptions) { o.Domain = []string{"a.example"} }, want: ErrInvalidDomain},
		{name: "wrong challenge", sign: func(o *ProofOptions) { o.Challenge = "c1" },
			verify: func(o *VerifyOptions) { o.Challenge = "c2" }, want: ErrInvalidChallenge},
		{name: "key not authorized for the purpose", verify: func(o *VerifyOptions) {
			o.Resolver = alteredResolver(func(d *did.Document) { d.AssertionMethod = nil })
		}, want: ErrUnauthorizedMethod},
		{name: "method controlled by another DID", verify: func(o *VerifyOptions) {
			o.Resolver = alteredResolver(func(d *did.Document) { d.VerificationMethod[0].Controller = "did:example:mallory" })
		}, want: ErrUnauthorizedMethod},
		{name: "document of another DID", verify: func(o *VerifyOptions) {
			o.Resolver = alteredResolver(func(d *did.Document) { d.ID = "did:example:mallory" })
		}, want: ErrUnauthorizedMethod},
		{name: "method without fragment", doc: func(_, p map[string]any) {
			vm := p["verificationMethod"].(string)
			p["verificationMethod"] = vm[:indexHash(vm)]
		}, want: ErrUnauthorizedMethod},
		{name: "method type not for data integrity", verify: func(o *VerifyOptions) {
			o.Resolver = alteredResolver(func(d *did.Document) { d.VerificationMethod[0].Type = did.TypeEd25519VerificationKey2020 })
		}, want: ErrKeyType},
		{name: "key of the wrong type or curve", doc: func(_, p map[string]any) { p["verificationMethod"] = foreign.vm }, want: ErrKeyType},
		{name: "another key of the right type", doc: func(_, p map[string]any) { p["verificationMethod"] = other.vm }, want: ErrInvalidSignature},
		{name: "cryptosuite not allowed", verify: func(o *VerifyOptions) { o.Cryptosuites = []string{} }, want: ErrUnsupportedCryptosuite},
		{name: "no resolver", verify: func(o *VerifyOptions) { o.Resolver = nil }, want: ErrUnauthorizedMethod},
	}
	for suiteName, k := range keys {
		foreign, other = foreignFor[suites[suiteName].ecdsa], sameTypeOther[suiteName]
		for _, tc := range tests {
			t.Run(suiteName+"/"+tc.name, func(t *testing.T) {
				so := ProofOptions{Cryptosuite: suiteName, VerificationMethod: k.vm, Created: testNow.Add(-time.Hour), JSONLD: proc}
				if tc.sign != nil {
					tc.sign(&so)
				}
				signed, err := Sign(credential(t, k), k.signer, so)
				if err != nil {
					t.Fatal(err)
				}
				vo := VerifyOptions{Resolver: key.Resolver{}, JSONLD: proc, Now: so.Created}
				if tc.sign != nil {
					vo.Domain, vo.Challenge = so.Domain, so.Challenge
				}
				if _, err := Verify(context.Background(), mustJSON(t, signed), vo); err != nil {
					t.Fatalf("untouched document: %v", err)
				}
				vo.Now = testNow
				if tc.doc != nil {
					tc.doc(signed, signed["proof"].(map[string]any))
				}
				if tc.verify != nil {
					tc.verify(&vo)
				}
				_, err = Verify(context.Background(), mustJSON(t, signed), vo)
				if !errors.Is(err, tc.want) || !errors.Is(err, vc.ErrCryptographicSecurity) {
					t.Fatalf("error %v, want %v", err, tc.want)
				}
				var e *Error
				if !errors.As(err, &e) || e.Proof != 0 {
					t.Errorf("error %#v is not an *Error about proof 0", err)
				}
			})
		}
	}
}

// TestVerifyDocumentErrors covers documents that have no usable proof.
func TestVerifyDocumentErrors(t *testing.T) {
	opts := VerifyOptions{Resolver: key.Resolver{}}
	tests := []struct {
		name, doc string
		want      error
	}{
		{"not JSON", `{`, vc.ErrParsing},
		{"not an object", `[]`, vc.ErrParsing},
		{"no proof", `{"@context":["https://www.w3.org/ns/credentials/v2"]}`, ErrNoProof},
		{"proof not an object", `{"proof":"x"}`, ErrMalformedProof},
		{"proof list with a string", `{"proof":[{},"x"]}`, ErrMalformedProof},
		{"proof type missing", `{"proof":{"verificationMethod":"did:key:z","proofPurpose":"assertionMethod","proofValue":"z1"}}`, ErrMalformedProof},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(context.Background(), []byte(tc.doc), opts); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestSignRejects covers proof generation errors.
func TestSignRejects(t *testing.T) {
	ed, p256 := newTestKey(t, nil), newTestKey(t, elliptic.P256())
	tests := []struct {
		name string
		k    testKey
		opts ProofOptions
		doc  map[string]any
		want error
	}{
		{"Ed25519 key for ecdsa", ed, ProofOptions{Cryptosuite: ECDSAJCS2019, VerificationMethod: ed.vm}, nil, ErrKeyType},
		{"P-256 key for eddsa", p256, ProofOptions{Cryptosuite: EdDSARDFC2022, VerificationMethod: p256.vm}, nil, ErrKeyType},
		{"legacy suite", ed, ProofOptions{Cryptosuite: Ed25519Signature2020, VerificationMethod: ed.vm}, nil, ErrUnsupportedCryptosuite},
		{"no verification method", ed, ProofOptions{Cryptosuite: EdDSAJCS2022}, nil, ErrProofGeneration},
		{"relative proof id", ed, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ID: "#p1"}, nil, ErrProofGeneration},
		{"relative verification method", ed, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: "#key-1"}, nil, ErrProofGeneration},
		{"previous proof absent", ed, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, PreviousProof: []string{"urn:x"}}, nil, ErrPreviousProof},
		{"undefined term", ed, ProofOptions{Cryptosuite: EdDSARDFC2022, VerificationMethod: ed.vm},
			map[string]any{"@context": map[string]any{"id": "@id"}, "claim": "x"}, ErrProofGeneration},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if doc == nil {
				doc = credential(t, tc.k)
			}
			_, err := Sign(doc, tc.k.signer, tc.opts)
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrProofGeneration) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// TestVerifyJSONWebKeyMethod: proofs made through an opaque crypto.Signer (as
// an HSM key is) verify against a verification method given as a JsonWebKey,
// as they do against the Multikey one.
func TestVerifyJSONWebKeyMethod(t *testing.T) {
	proc := testProcessor(t)
	for suiteName, curve := range map[string]elliptic.Curve{EdDSARDFC2022: nil, ECDSAJCS2019: elliptic.P384()} {
		t.Run(suiteName, func(t *testing.T) {
			k := newTestKey(t, curve)
			// Sign through an opaque crypto.Signer, as with an HSM key.
			signed, err := Sign(credential(t, k), opaqueSigner{k.signer}, ProofOptions{Cryptosuite: suiteName, VerificationMethod: k.vm, JSONLD: proc})
			if err != nil {
				t.Fatal(err)
			}
			toJWK := alteredResolver(func(d *did.Document) {
				vm := &d.VerificationMethod[0]
				jwk, err := did.NewJWK(k.signer.Public())
				if err != nil {
					t.Fatal(err)
				}
				*vm = did.NewJSONWebKeyMethod(vm.ID, vm.Controller, jwk)
			})
			if _, err := Verify(context.Background(), mustJSON(t, signed), VerifyOptions{Resolver: toJWK, JSONLD: proc}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
