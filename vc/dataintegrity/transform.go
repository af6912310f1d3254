package dataintegrity

import (
	"crypto"
	"slices"
	"sync"

	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
	"github.com/kakunin-dev/kakunin/vc/rdfc"
)

// defaultProcessor serves the embedded contexts; it is used when an options
// struct leaves its JSONLD field nil.
var defaultProcessor = sync.OnceValue(func() *jsonld.Processor {
	return jsonld.NewProcessor(nil, jsonld.Options{})
})

func processor(p *jsonld.Processor) *jsonld.Processor {
	if p == nil {
		return defaultProcessor()
	}
	return p
}

// canonical holds the two canonical forms a proof signs: the transformed
// data document and the canonical proof configuration.
type canonical struct {
	document    []byte
	proofConfig []byte
	// ofDocument: document is the JCS of the secured document without its proof member.
	ofDocument bool
}

// canonicalize runs the suite's Transformation algorithm on unsecured and its
// canonicalization of proofConfig. For the RDFC suites: "Let
// canonicalDocument be the result of converting unsecuredDocument to RDF
// statements, applying the RDF Dataset Canonicalization Algorithm [RDF-CANON]
// to the result, and then serializing the result to a serialized canonical
// form"; for the JCS suites, "applying the JSON Canonicalization Scheme
// [RFC8785] to a JSON serialization of the unsecuredDocument". h is the
// RDFC-1.0 hash (SHA-384 for P-384 keys).
func (s *suite) canonicalize(proc *jsonld.Processor, h crypto.Hash, unsecured, proofConfig map[string]any) (canonical, error) {
	var c canonical
	var err error
	if s.jcs {
		if c.document, err = marshalJCS(unsecured); err != nil {
			return c, err
		}
		c.proofConfig, err = marshalJCS(proofConfig)
		return c, err
	}
	for _, doc := range []map[string]any{unsecured, proofConfig} {
		if err := checkMemberNames(doc, 0); err != nil {
			return c, err
		}
	}
	proc = processor(proc)
	if c.document, err = documentCanonical(proc, h, unsecured); err != nil {
		return c, err
	}
	c.proofConfig, err = documentCanonical(proc, h, proofConfig)
	return c, err
}

// rdfCanonical is the serialized canonical form of doc's RDF dataset.
func rdfCanonical(proc *jsonld.Processor, h crypto.Hash, doc map[string]any) ([]byte, error) {
	ds, err := proc.ToRDF(doc)
	if err != nil {
		return nil, err
	}
	cds, err := rdfc.FromJSONGold(ds)
	if err != nil {
		return nil, err
	}
	res, err := rdfc.Canonicalize(cds, rdfc.Options{Hash: h})
	if err != nil {
		return nil, err
	}
	return res.NQuads, nil
}

// hashData is the Hashing algorithm of every suite here: "Let hashData be the
// result of concatenating proofConfigHash (the first hash) followed by
// transformedDocumentHash (the second hash)", both with h.
func hashData(h crypto.Hash, c canonical) []byte {
	d := h.New()
	d.Write(c.proofConfig)
	out := d.Sum(make([]byte, 0, 2*h.Size()))
	d.Reset()
	d.Write(c.document)
	return d.Sum(out)
}

// rdfcProofConfig is the proof configuration of the RDFC suites (and of
// Ed25519Signature2020): the proof options with "proofConfig.@context" set
// "to unsecuredDocument.@context".
func rdfcProofConfig(options, unsecured map[string]any) map[string]any {
	config := withoutKey(options, "proofValue")
	if ctx, ok := unsecured["@context"]; ok {
		config["@context"] = ctx
	} else {
		delete(config, "@context")
	}
	return config
}

// contextPrefix reports whether the document's @context starts with every
// value of the proof's @context, in order. EdDSA and ECDSA Cryptosuites
// § Verify Proof (jcs): "Check that the securedDocument.@context starts with
// all values contained in the proofOptions.@context in the same order.
// Otherwise, set verified to false". A single value counts as a list of one.
func contextPrefix(document, proof any) bool {
	d, p := asList(document), asList(proof)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		if !jsonEqual(d[i], p[i]) {
			return false
		}
	}
	return true
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// jsonEqual compares two decoded JSON values (context entries: strings, or
// objects for embedded contexts).
func jsonEqual(a, b any) bool {
	if sa, ok := a.(string); ok {
		sb, ok := b.(string)
		return ok && sa == sb
	}
	ca, err1 := jcs.Marshal(a)
	cb, err2 := jcs.Marshal(b)
	return err1 == nil && err2 == nil && slices.Equal(ca, cb)
}

// withoutKey returns a shallow copy of m without key.
func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
