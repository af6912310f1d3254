package dataintegrity

import (
	"bytes"
	"crypto"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/vectors"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// templateDocs are documents whose canonical form the template path must
// reproduce: the test credential, the W3C vectors' documents, and documents
// with merged nodes, duplicate values, lists, @json, language strings,
// blank node ids and vocabulary-expanded values.
func templateDocs(t testing.TB) map[string]map[string]any {
	k := newTestKey(t, nil)
	docs := map[string]map[string]any{"credential": credential(t, k)}
	extra := map[string]string{
		"merged nodes": `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
			"type":["VerifiableCredential"],"issuer":"did:example:a","validFrom":"2026-01-01T00:00:00Z",
			"credentialSubject":[{"id":"did:example:a","name":"x"},{"id":"did:example:a","name":"x","knows":"did:example:a"}]}`,
		"lists and json": `{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":"https://ex.example/#",
			"seq":{"@container":"@list"},"raw":{"@type":"@json"},"label":{"@language":"fr"},"kind":{"@type":"@vocab"},
			"ref":{"@type":"@id"},"ex":"https://prefix.example/"}],
			"type":["VerifiableCredential"],"issuer":"did:example:a","validFrom":"2026-01-01T00:00:00Z",
			"credentialSubject":{"id":"_:s1","seq":["a","b","a"],"raw":{"k":"v","n":[1,"two"]},"label":"bonjour",
			"kind":"Thing","ref":"ex:suffix","other":{"id":"_:s1"},"n":1.5,"flag":true,"when":{"@value":"2026","@type":"https://ex.example/#year"}}}`,
	}
	for name, s := range extra {
		docs[name] = decodeJSON(t, []byte(s))
	}
	for i, o := range proofVariants {
		o.VerificationMethod = k.vm
		docs["proof configuration "+itoa(i)] = rdfcProofConfig(o.proof(suites[o.Cryptosuite]), docs["credential"])
	}
	// Under the base context alone, as the service issues them: proofPurpose is a vocabulary
	// term no @vocab catches, so a marker in its place fails, and the slot is fixed.
	base := map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}}
	for _, i := range []int{0, 1} {
		o := proofVariants[i]
		o.VerificationMethod = k.vm
		docs["base context proof configuration "+itoa(i)] = rdfcProofConfig(o.proof(suites[o.Cryptosuite]), base)
	}
	for _, rel := range []string{"vc-di-eddsa/TestVectors/unsigned.json", "vc-di-eddsa/TestVectors/proof-set-chain/proofChainTempDoc2.json",
		"vc-di-eddsa/TestVectors/Ed25519Signature2020/signedEdSig.json", "vc-di-ecdsa/TestVectors/unsigned.json"} {
		set, file, _ := strings.Cut(rel, "/")
		docs[rel] = withoutKey(readJSON(t, filepath.Join(vectors.Dir(t, set), file)), "")
	}
	return docs
}

// TestDocumentTemplate: for each document, the canonical form from the
// template path equals the JSON-LD path's, on first use (learning) and after,
// for SHA-256 and SHA-384.
func TestDocumentTemplate(t *testing.T) {
	proc := testProcessor(t)
	for name, doc := range templateDocs(t) {
		t.Run(name, func(t *testing.T) {
			for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384} {
				want, err := rdfCanonical(proc, h, doc)
				if err != nil {
					t.Fatal(err)
				}
				for range 2 {
					got, err := documentCanonical(proc, h, doc)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("template path:\n%s(%v)\nJSON-LD path:\n%s", got, err, want)
					}
				}
			}
		})
	}
}

// FuzzDocumentTemplate replaces string values of learned documents with
// arbitrary strings: the template path must give the JSON-LD path's result,
// or fail when it fails.
func FuzzDocumentTemplate(f *testing.F) {
	f.Add(uint8(0), "did:example:b", "urn:uuid:1", uint8(3))
	f.Add(uint8(1), "did:example:a", "did:example:a", uint8(1))
	f.Add(uint8(2), "_:s2", "ex:other", uint8(5))
	f.Add(uint8(0), "https://x.example/a b", "@id", uint8(7))
	proc := testProcessor(f)
	docs := templateDocs(f)
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	f.Fuzz(func(t *testing.T, which uint8, a, b string, slot uint8) {
		doc := docs[names[int(which)%len(names)]]
		learn(t, proc, doc)
		n := 0
		w := docWalker{mark: func(i int, s string) string {
			n++
			switch {
			case i == int(slot)%max(n, 1):
				return a
			case i%3 == 0:
				return b
			}
			return s
		}}
		changed, ok := w.value(doc, "", 0)
		if !ok {
			return
		}
		m := changed.(map[string]any)
		want, werr := rdfCanonical(proc, crypto.SHA256, m)
		got, gerr := documentCanonical(proc, crypto.SHA256, m)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("template path:\n%s(%v)\nJSON-LD path:\n%s(%v)", got, gerr, want, werr)
		}
	})
}

func learn(t *testing.T, proc *jsonld.Processor, doc map[string]any) {
	if _, err := documentCanonical(proc, crypto.SHA256, doc); err != nil {
		t.Fatal(err)
	}
}

// TestDocumentTemplateLearned: the shapes of the test credential and of the
// W3C vector credential get a template, so the tests above exercise it.
func TestDocumentTemplateLearned(t *testing.T) {
	proc := testProcessor(t)
	docs := templateDocs(t)
	for _, name := range []string{"credential", "vc-di-eddsa/TestVectors/unsigned.json", "merged nodes", "lists and json",
		"proof configuration 0", "proof configuration 2", "proof configuration 3",
		"base context proof configuration 0", "base context proof configuration 1"} {
		doc := docs[name]
		learn(t, proc, doc)
		w := docWalker{}
		w.value(doc, "", 0)
		fixed, _ := skeletons.load(templateKey{proc, string(w.skeleton)})
		if fixed == nil || fixed.([]bool) == nil {
			t.Errorf("%s: skeleton not usable", name)
			continue
		}
		tmpl, _ := templates.load(templateKey{proc, shapeOf(string(w.skeleton), w.slots, fixed.([]bool))})
		if tmpl == nil || tmpl.(*template) == nil || len(tmpl.(*template).refs) == 0 {
			t.Errorf("%s: no template", name)
		}
	}
}

// proofVariants cover every proof option, purpose and suite.
var proofVariants = []ProofOptions{
	{Cryptosuite: EdDSARDFC2022},
	{Cryptosuite: ECDSARDFC2019, Created: testNow, Expires: testNow.AddDate(1, 0, 0)},
	{Cryptosuite: EdDSARDFC2022, ID: "urn:uuid:1", PreviousProof: []string{"urn:uuid:0"}, Nonce: "n\"\n\\"},
	{Cryptosuite: EdDSARDFC2022, Domain: []string{"a.example", "b.example"}, Challenge: "ch\u00e9"},
	{Cryptosuite: EdDSARDFC2022, ProofPurpose: "authentication", PreviousProof: []string{"urn:a", "https://x.example/p#1"}},
	{Cryptosuite: EdDSARDFC2022, ProofPurpose: "capabilityInvocation"},
	{Cryptosuite: EdDSARDFC2022, ProofPurpose: "capabilityDelegation"},
	{Cryptosuite: EdDSARDFC2022, ProofPurpose: "keyAgreement"},
}

// TestShapeUnambiguous: documents that differ in anything but slot values
// (a number, the split of an array, a fixed value) have different shapes, so
// no template learned from one is used for the other.
func TestShapeUnambiguous(t *testing.T) {
	pairs := [][2]string{
		{`{"a":[1,2]}`, `{"a":[12]}`},
		{`{"a":[1,2],"b":3}`, `{"a":[1],"b":[2,3]}`},
		{`{"type":["A","B"]}`, `{"type":["AB"]}`},
		{`{"type":"A\u0000\u00011"}`, `{"type":"A"}`},
		{`{"a":"x:y","b":"z"}`, `{"a":"x:y","b":"x:z"}`},
		{`{"a":"https://x","b":"c"}`, `{"a":"https:x","b":"c"}`},
		{`{"a":"x","b":"x"}`, `{"a":"x","b":"y"}`},
		{`{"@context":{"a":"b"},"a":"1"}`, `{"@context":{"a":"c"},"a":"1"}`},
	}
	shape := func(s string) string {
		w := docWalker{}
		if _, ok := w.value(decodeJSON(t, []byte(s)), "", 0); !ok {
			t.Fatalf("walk %s", s)
		}
		fixed := make([]bool, len(w.slots))
		for i := range fixed {
			fixed[i] = i%2 == 0
		}
		return shapeOf(string(w.skeleton), w.slots, fixed)
	}
	for _, p := range pairs {
		if shape(p[0]) == shape(p[1]) {
			t.Errorf("%s and %s have the same shape", p[0], p[1])
		}
	}
}

// TestWalkRejectsInvalidUTF8: a document that holds invalid UTF-8 (possible
// in a map built by a caller) has no skeleton, so it never shares one.
func TestWalkRejectsInvalidUTF8(t *testing.T) {
	for _, doc := range []map[string]any{
		{"a": "\xcf:"}, {"\xcf": "x"}, {"type": "\xff"}, {"a": []any{"ok", "x:\xff"}},
	} {
		w := docWalker{}
		if _, ok := w.value(doc, "", 0); ok {
			t.Errorf("%q: walked, skeleton %q", doc, w.skeleton)
		}
	}
}

// TestDocumentTemplateIRIForms puts unusual IRIs (dot segments, case, bad
// escapes, ports, IPv6, fragments) where the learned credential shape has
// node ids: the template path must agree with the JSON-LD path each time.
func TestDocumentTemplateIRIForms(t *testing.T) {
	proc := testProcessor(t)
	base := credential(t, newTestKey(t, nil))
	learn(t, proc, base)
	for _, v := range []string{"https://x.example/a/../b", "https://x.example/./a", "HTTPS://X.EXAMPLE/", "https://x.example/a b", "https://x.example/%zz", "https://x.example:99999/", "https://user@x.example/", "https://[::1]/", "https://x.example/\u00e9", "https://x.example/#a#b", "https://x", "https://", "urn:a/../b", "did:example:a/../b"} {
		for _, field := range []string{"id", "subject"} {
			doc := withoutKey(base, "")
			if field == "id" {
				doc["id"] = "urn:x:" + v
				doc["credentialStatus"] = withoutKey(base["credentialStatus"].(map[string]any), "")
				doc["credentialStatus"].(map[string]any)["id"] = v
			} else {
				doc["credentialSubject"] = withoutKey(base["credentialSubject"].(map[string]any), "")
				doc["credentialSubject"].(map[string]any)["id"] = v
			}
			want, werr := rdfCanonical(proc, crypto.SHA256, doc)
			got, gerr := documentCanonical(proc, crypto.SHA256, doc)
			if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
				t.Errorf("%s %q: template %v / JSON-LD %v\n%s\n%s", field, v, gerr, werr, got, want)
			}
		}
	}
}
