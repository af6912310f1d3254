package dataintegrity

import (
	"context"
	"crypto"
	"slices"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/multiformats/go-multibase"
)

// Result is the outcome of Verify: one entry per proof of the document, in
// document order.
type Result struct {
	Proofs []ProofResult
}

// ProofResult is the outcome of one proof. Err is nil when it verified.
type ProofResult struct {
	Proof *Proof // nil when the proof could not be parsed
	Err   error
}

// Verify checks every proof of the secured JSON document doc, each on its own
// (a proof set), and each with the proofs its previousProof names (a proof
// chain), per VC Data Integrity 1.0 § Verify Proof and § Verify Proof Sets and
// Chains. It returns the per-proof results and, when any proof fails (or there
// is none), the first failure.
//
// Errors are *Error values: ErrMalformedProof, ErrMismatchedProofPurpose,
// ErrInvalidDomain, ErrInvalidChallenge, ErrProofTransformation or
// ErrProofVerification (wrapping ErrInvalidSignature, ErrProofExpired,
// ErrUnauthorizedMethod, ErrKeyType, ErrUnsupportedCryptosuite,
// ErrPreviousProof, ErrNoProof or a resolver error); all of them match
// vc.ErrCryptographicSecurity. A doc that is not a JSON object gives a
// *vc.Error matching vc.ErrParsing.
func Verify(ctx context.Context, doc []byte, opts VerifyOptions) (*Result, error) {
	v, err := jsonin.Decode(doc, jsonin.Options{MaxBytes: opts.MaxBytes})
	if err != nil {
		return nil, &vc.Error{Type: vc.ParsingError, Detail: "secured document", Err: err}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &vc.Error{Type: vc.ParsingError, Detail: "secured document is not a JSON object"}
	}
	return verifyDocument(ctx, m, &opts)
}

// VerifyObject is Verify of a secured document that the caller decoded (with
// internal/jsonin, as Verify does, for a caller that needs the decoded
// document too). doc is not modified; opts.MaxBytes is not used.
func VerifyObject(ctx context.Context, doc map[string]any, opts VerifyOptions) (*Result, error) {
	return verifyDocument(ctx, doc, &opts)
}

func verifyDocument(ctx context.Context, doc map[string]any, opts *VerifyOptions) (*Result, error) {
	raw, present := doc["proof"]
	all, err := proofList(raw)
	if err == nil && present && raw == nil {
		err = errProofShape // a null proof is not a map either
	}
	if err != nil {
		return nil, fail(MalformedProofError, -1, err, "")
	}
	if len(all) == 0 { // a secured document's proof must be a map (Data Integrity § 4.4)
		return nil, fail(MalformedProofError, -1, ErrNoProof, "")
	}
	res := &Result{Proofs: make([]ProofResult, len(all))}
	for i := range all {
		p, err := verifyProof(ctx, doc, all, i, opts)
		res.Proofs[i] = ProofResult{Proof: p, Err: err}
	}
	res.failBrokenChains()
	for _, r := range res.Proofs {
		if r.Err != nil {
			return res, r.Err
		}
	}
	return res, nil
}

// failBrokenChains fails every proof that names, directly or through others,
// a proof that failed. Data Integrity § Verify Proof Sets and Chains: "any
// proof in that subset with a previousProof can only be considered verified
// if the proofs it references are also considered verified."
func (r *Result) failBrokenChains() {
	for changed := true; changed; {
		changed = false
		for i, pr := range r.Proofs {
			if pr.Err != nil || pr.Proof == nil {
				continue
			}
			for _, id := range pr.Proof.PreviousProof {
				if j := r.index(id); j >= 0 && r.Proofs[j].Err != nil {
					r.Proofs[i].Err = fail(ProofVerificationError, i, ErrPreviousProof, "previous proof %d did not verify", j)
					changed = true
					break
				}
			}
		}
	}
}

// index returns the index of the proof with the given id, or -1.
func (r *Result) index(id string) int {
	for i, pr := range r.Proofs {
		if pr.Proof != nil && pr.Proof.ID == id {
			return i
		}
	}
	return -1
}

// verifyProof runs Verify Proof steps 4 to 8 on the i-th proof.
func verifyProof(ctx context.Context, doc map[string]any, all []any, i int, opts *VerifyOptions) (*Proof, error) {
	m := all[i].(map[string]any)
	p, err := parseProof(m, i)
	if err != nil {
		return nil, err
	}
	s, err := lookupSuite(p.Type, p.Cryptosuite, opts.Cryptosuites)
	if err != nil {
		return p, fail(ProofVerificationError, i, err, "")
	}
	if err := checkOptions(p, i, opts); err != nil {
		return p, err
	}
	sig, err := decodeProofValue(p.ProofValue)
	if err != nil {
		return p, fail(MalformedProofError, i, err, "proofValue")
	}
	pub, h, err := retrieveKey(ctx, opts.Resolver, p, s)
	if err != nil {
		return p, fail(ProofVerificationError, i, err, "verification method %q", clip(p.VerificationMethod))
	}
	unsecured, err := chainInput(doc, all, p.PreviousProof)
	if err != nil {
		return p, fail(ProofVerificationError, i, err, "")
	}
	c, err := s.verifyTransform(opts, h, unsecured, m)
	if err != nil {
		return p, err.(*Error).at(i)
	}
	if !verifySignature(pub, h, hashData(h, c), sig) {
		return p, fail(ProofVerificationError, i, ErrInvalidSignature, "")
	}
	return p, nil
}

// checkOptions is Verify Proof steps 5 to 7, and the proof's expiry.
func checkOptions(p *Proof, i int, opts *VerifyOptions) error {
	if p.ProofPurpose != opts.purpose() {
		return fail(MismatchedProofPurposeError, i, nil, "proof purpose %q, expected %q", clip(p.ProofPurpose), clip(opts.purpose()))
	}
	// "If domain was given, and it does not contain the same strings as
	// proof.domain (treating a single string as a set containing just that
	// string), an error MUST be raised".
	if opts.Domain != nil && !sameSet(opts.Domain, p.Domain) {
		return fail(InvalidDomainError, i, nil, "")
	}
	if opts.Challenge != "" && opts.Challenge != p.Challenge {
		return fail(InvalidChallengeError, i, nil, "")
	}
	// Data Integrity § 2.1: expires is "the date and time the proof expires".
	if !p.Expires.IsZero() && !opts.now().Before(p.Expires) {
		return fail(ProofVerificationError, i, ErrProofExpired, "expired at %s", formatDateTimeStamp(p.Expires))
	}
	return nil
}

// verifyTransform builds the transformed document and the canonical proof
// configuration of a proof under verification from the unsecured document
// and the proof object m ("proofOptions be the result of a copy of
// securedDocument.proof with proofValue removed").
func (s *suite) verifyTransform(opts *VerifyOptions, h crypto.Hash, unsecured, m map[string]any) (canonical, error) {
	config, err := s.verifyConfig(unsecured, m)
	if err != nil {
		return canonical{}, err
	}
	c, err := s.canonicalize(opts.JSONLD, h, unsecured, config)
	if err != nil {
		return c, fail(ProofTransformationError, -1, err, "")
	}
	return c, nil
}

// verifyConfig returns the proof configuration of the proof m, adjusting the
// unsecured document's @context as the JCS suites require.
func (s *suite) verifyConfig(unsecured, m map[string]any) (map[string]any, error) {
	pctx, hasContext := m["@context"]
	if !s.jcs {
		// The RDFC suites sign the proof under the document's @context ("Set
		// proofConfig.@context to unsecuredDocument.@context"), so an @context
		// of the proof would not be covered by the signature: one that differs
		// is refused rather than ignored.
		if hasContext && !jsonEqual(asList(pctx), asList(unsecured["@context"])) {
			return nil, fail(MalformedProofError, -1, nil, "proof.@context differs from the document's")
		}
		return rdfcProofConfig(m, unsecured), nil
	}
	if hasContext {
		if !contextPrefix(unsecured["@context"], pctx) {
			return nil, fail(ProofVerificationError, -1, ErrInvalidSignature, "the document's @context does not start with the proof's")
		}
		// "Set unsecuredDocument.@context equal to proofOptions.@context."
		unsecured["@context"] = pctx
	}
	return withoutKey(m, "proofValue"), nil
}

// decodeProofValue decodes a base58-btc multibase proofValue.
func decodeProofValue(v string) ([]byte, error) {
	if len(v) > 512 {
		return nil, errProofValue
	}
	enc, sig, err := multibase.Decode(v)
	if err != nil || enc != multibase.Base58BTC {
		return nil, errProofValue
	}
	return sig, nil
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// at sets the proof index of e.
func (e *Error) at(i int) *Error {
	e.Proof = i
	return e
}
