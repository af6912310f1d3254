package dataintegrity

import (
	"bytes"
	"testing"
)

// TestSecureJCS checks the proof member written into the canonical document against
// marshalJCS of the whole secured document.
func TestSecureJCS(t *testing.T) {
	proof := map[string]any{"type": "DataIntegrityProof", "proofValue": `z"\,}]`}
	for _, doc := range []string{
		`{}`,
		`{"a":1}`,
		`{"zz":[{"x":"}"},"]"],"proofs":"p"}`,
		`{"a":"x,\"}\\","b":{"c":[1,{"d":"]"}]},"pro":null,"q":"\u0001"}`,
		`{"proo":1,"proof\u0000x":2,"pr\"oof":3,"prooe":4,"prooz":5,"é":6,"😀":7,"\uff61":8}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"validFrom":"2026-01-01T00:00:00Z"}`,
	} {
		unsecured := decodeJSON(t, []byte(doc))
		canon, err := marshalJCS(unsecured)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []any{proof, []any{proof, map[string]any{"id": "urn:x"}}} {
			secured := withProofs(unsecured, []any{p})
			want, err := marshalJCS(secured)
			if err != nil {
				t.Fatal(err)
			}
			got, err := secureJCS(canon, secured)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("secureJCS(%s) = %s (%v), want %s", canon, got, err, want)
			}
		}
	}
}

// TestAddProofJCSOutput: AddProof's output, built from the signed canonical document, is
// marshalJCS of Sign's result (Ed25519 signatures are deterministic).
func TestAddProofJCSOutput(t *testing.T) {
	k := newTestKey(t, nil)
	doc := credential(t, k)
	for _, opts := range []ProofOptions{
		{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, Created: testNow},
		{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, Created: testNow, ID: "urn:proof:2", Domain: []string{"example.org"}},
	} {
		raw := mustJSON(t, doc)
		got, err := AddProof(raw, k.signer, opts)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := Sign(decodeJSON(t, raw), k.signer, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := marshalJCS(signed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("AddProof = %s\nwant %s", got, want)
		}
		doc = decodeJSON(t, got) // the second round adds to a proof set
	}
}
