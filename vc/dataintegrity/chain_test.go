package dataintegrity

import (
	"context"
	"crypto"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/internal/vectors"
)

// TestProofSetChainVectors rebuilds the published proof set and proof chain
// documents proof by proof from the unsigned credential (Ed25519 signatures are
// deterministic, so every proof must come out identical, previousProof
// references included), and verifies each published document.
func TestProofSetChainVectors(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, "vc-di-eddsa"), "TestVectors", "proof-set-chain")
	proc := testProcessor(t)
	keys := map[string]crypto.Signer{}
	for _, kp := range readJSON(t, dir, "multiKeyPairs.json") {
		m := kp.(map[string]any)
		keys[m["publicKeyMultibase"].(string)] = keyPair(t, m)
	}
	for _, name := range []string{"signedProofSet1", "signedProofSet2", "signedProofChain1", "signedProofChain2"} {
		t.Run(name, func(t *testing.T) {
			want := readJSON(t, dir, name+".json")
			proofs, err := proofList(want["proof"])
			if err != nil {
				t.Fatal(err)
			}
			doc := readJSON(t, dir, "unsigned.json")
			for i, p := range proofs {
				vm := p.(map[string]any)["verificationMethod"].(string)
				k := keys[vm[strings.IndexByte(vm, '#')+1:]]
				if doc, err = Sign(doc, k, optionsOf(t, p.(map[string]any), proc)); err != nil {
					t.Fatalf("proof %d: %v", i, err)
				}
			}
			if !reflect.DeepEqual(doc, want) {
				t.Errorf("rebuilt document:\n got %s\nwant %s", mustJSON(t, doc), mustJSON(t, want))
			}
			checkVerify(t, proc, mustJSON(t, want))
		})
	}
}

// TestProofChainBinding checks that a chained proof signs over the proofs it
// names: replacing a previous proof, or naming a proof that is absent, fails.
func TestProofChainBinding(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, "vc-di-eddsa"), "TestVectors", "proof-set-chain")
	proc := testProcessor(t)
	opts := VerifyOptions{Resolver: key.Resolver{}, JSONLD: proc}
	signed := readJSON(t, dir, "signedProofChain2.json")
	proofs := signed["proof"].([]any)
	tests := []struct {
		name   string
		mutate func(p []map[string]any)
		bad    int // index of the proof that must fail
		want   error
	}{
		{"previous proof value replaced", func(p []map[string]any) { p[2]["proofValue"] = p[1]["proofValue"] }, 3, ErrInvalidSignature},
		{"first link broken", func(p []map[string]any) { p[0]["created"] = "2023-02-24T23:36:39Z" }, 3, ErrPreviousProof},
		{"previous proof id missing", func(p []map[string]any) { p[3]["previousProof"] = "urn:uuid:absent" }, 3, ErrPreviousProof},
		{"duplicate proof id", func(p []map[string]any) { p[1]["id"] = p[0]["id"] }, 2, ErrPreviousProof},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp := make([]map[string]any, len(proofs))
			list := make([]any, len(proofs))
			for i, p := range proofs {
				cp[i] = withoutKey(p.(map[string]any), "")
				list[i] = cp[i]
			}
			tc.mutate(cp)
			doc := withProofs(signed, list)
			res, err := Verify(context.Background(), mustJSON(t, doc), opts)
			if err == nil || res == nil {
				t.Fatalf("Verify error %v, want %v", err, tc.want)
			}
			if !errors.Is(res.Proofs[tc.bad].Err, tc.want) {
				t.Errorf("proof %d: want %v, results %+v", tc.bad, tc.want, res)
			}
		})
	}
}

// TestSignLeavesInputAlone: adding a proof to a document that has proofs
// does not modify the input document or its proof list.
func TestSignLeavesInputAlone(t *testing.T) {
	k := newTestKey(t, nil)
	first, err := Sign(credential(t, k), k.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, ID: "urn:p1"})
	if err != nil {
		t.Fatal(err)
	}
	list := make([]any, 1, 4) // spare capacity that append could write into
	list[0] = first["proof"]
	doc := withProofs(first, []any{})
	doc["proof"] = list
	before := string(mustJSON(t, doc))
	for range 2 {
		if _, err := Sign(doc, k.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, PreviousProof: []string{"urn:p1"}}); err != nil {
			t.Fatal(err)
		}
	}
	if after := string(mustJSON(t, doc)); after != before || list[:cap(list)][1] != nil {
		t.Errorf("input changed:\n%s\n%s", before, after)
	}
}
