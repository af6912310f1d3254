package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// FuzzVerify: verifying arbitrary JSON never panics, and every failure is a
// Data Integrity error (or a parsing error for input that is not a JSON object).
func FuzzVerify(f *testing.F) {
	k := newTestKey(f, nil)
	signed, err := AddProof(mustJSON(f, credential(f, k)), k.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add([]byte(`{"proof":[{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",` +
		`"verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",` +
		`"proofValue":"z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme","previousProof":"x"}]}`))
	if dir, ok := vectorsDir(); ok {
		for _, name := range []string{"signedProofChain2.json", "signedProofSet2.json"} {
			f.Add(readFile(f, dir, "proof-set-chain", name))
		}
	}
	proc := testProcessor(f)
	opts := VerifyOptions{Resolver: key.Resolver{}, JSONLD: proc, Cryptosuites: append(DefaultCryptosuites(), Ed25519Signature2020)}
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := Verify(context.Background(), doc, opts)
		if err == nil {
			if res == nil || len(res.Proofs) == 0 {
				t.Fatal("verified without proofs")
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) && !errors.Is(err, vc.ErrParsing) {
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
	})
}

// vectorsDir returns the eddsa TestVectors folder when the shared vectors are
// present, without skipping the fuzz target when they are not.
func vectorsDir() (string, bool) {
	matches, _ := filepath.Glob("../../../shared/vectors/vc-di-eddsa/TestVectors")
	if len(matches) == 0 {
		return "", false
	}
	return matches[0], true
}

// FuzzVerifyProofMember replaces one member of a valid proof with an arbitrary
// JSON value, reaching the checks behind JSON parsing: no panic, and a proof
// that still verifies must sign the same canonical forms by the JSON-LD (or
// JCS) path, so that the change is one the data model does not see (such as
// an RDFC proof member whose value is an empty array).
func FuzzVerifyProofMember(f *testing.F) {
	proc := testProcessor(f)
	k := newTestKey(f, nil)
	docs := map[bool]map[string]any{}
	for _, s := range []string{EdDSAJCS2022, EdDSARDFC2022} {
		signed, err := Sign(credential(f, k), k.signer, ProofOptions{Cryptosuite: s, VerificationMethod: k.vm, JSONLD: proc})
		if err != nil {
			f.Fatal(err)
		}
		docs[s == EdDSARDFC2022] = signed
	}
	for _, m := range []string{"type", "cryptosuite", "verificationMethod", "proofPurpose", "created", "expires",
		"domain", "challenge", "previousProof", "proofValue", "@context", "id", ""} {
		f.Add(m, []byte(`"x"`), true)
		f.Add(m, []byte(`["did:key:z6Mk", 1, null]`), false)
	}
	opts := VerifyOptions{Resolver: key.Resolver{}, JSONLD: proc}
	f.Fuzz(func(t *testing.T, member string, value []byte, rdfc bool) {
		v, err := jsonin.Decode(value, jsonin.Options{})
		if err != nil {
			return
		}
		doc := docs[rdfc]
		proof := withoutKey(doc["proof"].(map[string]any), "")
		proof[member] = v
		changed := decodeJSON(t, mustJSON(t, withProofs(doc, []any{proof})))
		if _, err := Verify(context.Background(), mustJSON(t, changed), opts); err != nil {
			return
		}
		before, after := slowCanonical(t, proc, doc), slowCanonical(t, proc, changed)
		if !bytes.Equal(before.document, after.document) || !bytes.Equal(before.proofConfig, after.proofConfig) {
			t.Fatalf("proof with %q = %s verified, but signs other data:\n%s\n%s", member, value, after.proofConfig, before.proofConfig)
		}
	})
}

// slowCanonical is the canonical forms of the only proof of doc by the
// JSON-LD path (no template) or by JCS.
func slowCanonical(t *testing.T, proc *jsonld.Processor, doc map[string]any) canonical {
	proof := doc["proof"].(map[string]any)
	s := suites[proof["cryptosuite"].(string)]
	unsecured := withoutKey(doc, "proof")
	config, err := s.verifyConfig(unsecured, proof)
	if err != nil {
		t.Fatal(err)
	}
	var c canonical
	if s.jcs {
		c.document, _ = marshalJCS(unsecured)
		c.proofConfig, _ = marshalJCS(config)
		return c
	}
	if c.document, err = rdfCanonical(proc, crypto.SHA256, unsecured); err != nil {
		t.Fatal(err)
	}
	if c.proofConfig, err = rdfCanonical(proc, crypto.SHA256, config); err != nil {
		t.Fatal(err)
	}
	return c
}
