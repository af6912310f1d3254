package dataintegrity

import (
	"crypto"
	"errors"
	"slices"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/multiformats/go-multibase"
)

// AddProof decodes the JSON document doc, adds a proof made with key (see
// Sign) and returns the secured document, in JCS canonical form. Errors are those of Sign, and
// ErrProofGeneration wrapping the JSON error when doc is not a JSON object.
func AddProof(doc []byte, key crypto.Signer, opts ProofOptions) ([]byte, error) {
	v, err := jsonin.Decode(doc, jsonin.Options{})
	if err != nil {
		return nil, fail(ProofGenerationError, -1, err, "document")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fail(ProofGenerationError, -1, nil, "document is not a JSON object")
	}
	out, c, err := signDocument(m, key, opts)
	if err != nil {
		return nil, err
	}
	if c.ofDocument {
		if b, err := secureJCS(c.document, out); err == nil {
			return b, nil
		}
	}
	return marshalJCS(out)
}

// Sign returns a copy of doc (decoded JSON) with a new proof made with key,
// following VC Data Integrity 1.0 § Add Proof, or § Add Proof Set/Chain when
// doc already has proofs: the new proof joins them, and signs over those that
// opts.PreviousProof names. key may be any crypto.Signer (an HSM key works):
// Ed25519 for the eddsa suites, ECDSA P-256 or P-384 for the ecdsa suites.
// doc is not modified; the result shares values with it.
//
// Errors are *Error of type ProofGenerationError, wrapping
// ErrUnsupportedCryptosuite, ErrKeyType, ErrPreviousProof, a jsonld error
// (jsonld.ErrDataLoss for an undefined term...) or the signer's error.
func Sign(doc map[string]any, key crypto.Signer, opts ProofOptions) (map[string]any, error) {
	out, _, err := signDocument(doc, key, opts)
	return out, err
}

// signDocument is Sign, also returning the canonical forms it signed.
func signDocument(doc map[string]any, key crypto.Signer, opts ProofOptions) (map[string]any, canonical, error) {
	s, h, err := opts.check(key)
	if err != nil {
		return nil, canonical{}, err
	}
	all, err := proofList(doc["proof"])
	if err != nil {
		return nil, canonical{}, fail(ProofGenerationError, -1, err, "existing proofs")
	}
	unsecured, err := chainInput(doc, all, opts.PreviousProof)
	if err != nil {
		return nil, canonical{}, fail(ProofGenerationError, -1, err, "")
	}
	proof := opts.proof(s)
	config := rdfcProofConfig(proof, unsecured)
	if s.jcs {
		// eddsa-jcs-2022 and ecdsa-jcs-2019 § Create Proof step 2: "If
		// unsecuredDocument.@context is present, set proof.@context to
		// unsecuredDocument.@context"; the proof configuration is the proof.
		if ctx, ok := unsecured["@context"]; ok {
			proof["@context"] = ctx
		}
		config = proof
	}
	c, err := s.canonicalize(opts.JSONLD, h, unsecured, config)
	if err != nil {
		return nil, c, fail(ProofGenerationError, -1, err, "canonicalization")
	}
	sig, err := sign(key, opts.Rand, h, hashData(h, c))
	if err != nil {
		return nil, c, fail(ProofGenerationError, -1, err, "signing")
	}
	proof["proofValue"], _ = multibase.Encode(multibase.Base58BTC, sig)
	// Without previous proofs the unsecured document is doc without its proofs, so the
	// JCS suites' canonical document is the secured one's but for the proof member.
	c.ofDocument = s.jcs && len(opts.PreviousProof) == 0
	return withProofs(doc, append(slices.Clone(all), proof)), c, nil
}

// check returns the suite of the options and the hash it uses with key.
func (o *ProofOptions) check(key crypto.Signer) (*suite, crypto.Hash, error) {
	s, ok := suites[o.Cryptosuite]
	if !ok || s.legacy() {
		return nil, 0, fail(ProofGenerationError, -1, ErrUnsupportedCryptosuite, "%q", clip(o.Cryptosuite))
	}
	if key == nil || !absoluteURL(o.VerificationMethod) {
		return nil, 0, fail(ProofGenerationError, -1, nil, "a key and a verification method URL are required")
	}
	for _, id := range append([]string{o.ID}, o.PreviousProof...) {
		if id != "" && !absoluteURL(id) {
			return nil, 0, fail(ProofGenerationError, -1, nil, "proof id %q is not a URL", clip(id))
		}
	}
	h, err := s.hashFor(key.Public())
	if err != nil {
		return nil, 0, fail(ProofGenerationError, -1, err, "")
	}
	return s, h, nil
}

// proof returns the proof options as a proof object without proofValue.
func (o *ProofOptions) proof(s *suite) map[string]any {
	purpose := o.ProofPurpose
	if purpose == "" {
		purpose = AssertionMethod
	}
	p := map[string]any{
		"type":               s.proofType,
		"cryptosuite":        s.name,
		"verificationMethod": o.VerificationMethod,
		"proofPurpose":       purpose,
	}
	set := func(name, value string) {
		if value != "" {
			p[name] = value
		}
	}
	set("id", o.ID)
	set("challenge", o.Challenge)
	set("nonce", o.Nonce)
	if !o.Created.IsZero() {
		p["created"] = formatDateTimeStamp(o.Created)
	}
	if !o.Expires.IsZero() {
		p["expires"] = formatDateTimeStamp(o.Expires)
	}
	if len(o.Domain) > 0 {
		p["domain"] = oneOrMany(o.Domain)
	}
	if len(o.PreviousProof) > 0 {
		p["previousProof"] = oneOrMany(o.PreviousProof)
	}
	return p
}

var errProofShape = errors.New("proof must be an object or an array of objects")

// proofList returns the proofs of a document's proof member: nil when absent.
func proofList(v any) ([]any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return []any{v}, nil
	case []any:
		if len(v) > maxProofs {
			return nil, errors.New("too many proofs")
		}
		for _, p := range v {
			if _, ok := p.(map[string]any); !ok {
				return nil, errProofShape
			}
		}
		return v, nil
	}
	return nil, errProofShape
}

// withProofs returns a shallow copy of doc whose proof is the one proof, or
// the list of them.
func withProofs(doc map[string]any, proofs []any) map[string]any {
	out := withoutKey(doc, "proof")
	if len(proofs) == 1 {
		out["proof"] = proofs[0]
	} else {
		out["proof"] = proofs
	}
	return out
}
