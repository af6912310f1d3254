package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// MaxInputBytes bounds a credential or presentation given to the verifier.
const MaxInputBytes = 1 << 20

// VerifyCredential verifies a credential: raw is the JSON of a credential secured with Data
// Integrity proofs, or of an EnvelopedVerifiableCredential holding a vc+jwt. Every check runs
// (proof, validity, and those of opts.Checks) and is reported in the result; Verified is true
// when all passed. The error is non-nil only for input that is not a JSON object or for bad
// options (errors.Is ErrInvalidInput); a credential that fails a check, or that the data model
// refuses, is a result, not an error.
func (v *Verifier) VerifyCredential(ctx context.Context, raw []byte, opts Options) (*Result, error) {
	run, err := opts.plan()
	if err != nil {
		return nil, err
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	now := v.now(opts)
	res := &Result{Verified: true}
	if isType(obj, "EnvelopedVerifiableCredential") {
		res.Enveloped = true
		if !v.verifyJWT(ctx, obj, now, res) {
			return res, nil
		}
	} else if !v.verifyDI(ctx, obj, now, res) {
		return res, nil
	}
	v.runChecks(ctx, res, run, now)
	return res, nil
}

// verifyDI reads a credential secured with embedded proofs, decoded once into obj, and checks
// them. It reports whether the credential could be read.
func (v *Verifier) verifyDI(ctx context.Context, obj map[string]any, now time.Time, res *Result) bool {
	c, err := vc.ParseCredentialObject(obj, vc.ParseOptions{})
	if err != nil {
		res.add(CheckProof, err)
		return false
	}
	res.Credential = c
	proofs, err := v.verifyObjectProofs(ctx, obj, now, proofCheck{signer: c.Issuer().ID, mismatch: ErrIssuerMismatch})
	if err == nil && !rdfcProofs(obj["proof"]) {
		err = v.checkJSONLD(obj)
	}
	res.Proofs = proofs
	res.add(CheckProof, err)
	return true
}

// verifyJWT verifies an enveloped vc+jwt: the signature, the issuer binding and, as VC-JOSE
// verification requires, the validity period.
func (v *Verifier) verifyJWT(ctx context.Context, obj map[string]any, now time.Time, res *Result) bool {
	_, jws, err := jose.Unenvelope(obj)
	if err != nil {
		res.add(CheckProof, err)
		return false
	}
	vcred, err := jose.VerifyCredential(ctx, jws, v.joseOptions(now))
	if err != nil {
		check := CheckProof
		if errors.Is(err, vc.ErrExpired) || errors.Is(err, vc.ErrNotYetValid) {
			check = CheckValidity
		}
		res.add(check, err)
		return false
	}
	res.Credential = vcred.Credential
	if err := v.checkJSONLD(vcred.Credential.Document()); err != nil {
		res.add(CheckProof, err)
		return false
	}
	res.add(CheckProof, nil)
	return true
}

// checkJSONLD requires a credential to be a conforming JSON-LD document (VC Data Model
// 2.0 § 4.3, § 5.2) when no proof processed it as one: a JCS proof or a vc+jwt signs the
// JSON alone, and would otherwise verify a credential whose context is unknown or
// redefines a protected term, or whose terms no context defines.
func (v *Verifier) checkJSONLD(doc map[string]any) error {
	if _, err := v.cfg.JSONLD.Expand(doc); err != nil {
		return &vc.Error{Type: vc.MalformedValueError, Detail: "not a conforming JSON-LD document: " + err.Error(), Err: err}
	}
	return nil
}

// rdfcProofs reports whether a proof member has a proof whose cryptosuite processed the
// document as JSON-LD (RDFC-1.0): its verification already did what checkJSONLD does.
func rdfcProofs(proof any) bool {
	list, ok := proof.([]any)
	if !ok {
		list = []any{proof}
	}
	for _, p := range list {
		m, _ := p.(map[string]any)
		suite, _ := m["cryptosuite"].(string)
		if m["type"] == dataintegrity.Ed25519Signature2020 {
			suite = dataintegrity.Ed25519Signature2020
		}
		if dataintegrity.ProcessesJSONLD(suite) {
			return true
		}
	}
	return false
}

func (v *Verifier) joseOptions(now time.Time) jose.VerifyOptions {
	return jose.VerifyOptions{Resolver: v.cfg.Resolver, Algorithms: v.cfg.JOSE, Now: now,
		AnyKeyType: v.cfg.JOSEAnyKeyType}
}

// proofCheck says whose proofs are expected: signer is the DID that must control the
// verification method of at least one proof (the credential's issuer, the presentation's
// holder; "" accepts any), mismatch the sentinel when none is.
type proofCheck struct {
	signer    string
	mismatch  error
	purpose   string // "" is assertionMethod
	challenge string
	domain    []string
}

// verifyProofs verifies every Data Integrity proof of raw as pc asks.
func (v *Verifier) verifyProofs(ctx context.Context, raw []byte, now time.Time, pc proofCheck) ([]ProofResult, error) {
	r, err := dataintegrity.Verify(ctx, raw, v.proofOptions(now, pc))
	return v.proofResults(r, err, pc)
}

// verifyObjectProofs is verifyProofs of a document decoded by decodeObject.
func (v *Verifier) verifyObjectProofs(ctx context.Context, doc map[string]any, now time.Time, pc proofCheck) ([]ProofResult, error) {
	r, err := dataintegrity.VerifyObject(ctx, doc, v.proofOptions(now, pc))
	return v.proofResults(r, err, pc)
}

func (v *Verifier) proofOptions(now time.Time, pc proofCheck) dataintegrity.VerifyOptions {
	return dataintegrity.VerifyOptions{
		Resolver: v.cfg.Resolver, ProofPurpose: pc.purpose, Challenge: pc.challenge, Domain: pc.domain, Now: now,
		Cryptosuites: v.cfg.Cryptosuites, JSONLD: v.cfg.JSONLD, MaxBytes: MaxInputBytes,
	}
}

// proofResults reports the outcome of dataintegrity.Verify, every proof having verified,
// and requires one of them to be pc.signer's. Others may be made by other parties (a
// witness, an endorser: Data Integrity proof sets and chains): they add to the issuer's
// proof, never stand in for it.
func (v *Verifier) proofResults(r *dataintegrity.Result, err error, pc proofCheck) ([]ProofResult, error) {
	var out []ProofResult
	if r != nil {
		for _, p := range r.Proofs {
			out = append(out, ProofResult{Proof: proofObject(p.Proof), Err: p.Err})
		}
	}
	if err != nil {
		return out, err
	}
	if pc.signer == "" {
		return out, nil
	}
	for _, p := range r.Proofs {
		if m, _, _ := strings.Cut(p.Proof.VerificationMethod, "#"); m == pc.signer {
			return out, nil
		}
	}
	m, _, _ := strings.Cut(r.Proofs[0].Proof.VerificationMethod, "#")
	out[0].Err = fail(pc.mismatch, "no proof is made by %s (proof 0 is made by %s)", clip(pc.signer), clip(m))
	return out, out[0].Err
}

func proofObject(p *dataintegrity.Proof) map[string]any {
	if p == nil {
		return nil
	}
	m := map[string]any{"type": p.Type, "verificationMethod": p.VerificationMethod, "proofPurpose": p.ProofPurpose}
	if p.Cryptosuite != "" {
		m["cryptosuite"] = p.Cryptosuite
	}
	if p.ID != "" {
		m["id"] = p.ID
	}
	if !p.Created.IsZero() {
		m["created"] = p.Created.UTC().Format(time.RFC3339)
	}
	return m
}

func decodeObject(raw []byte) (map[string]any, error) {
	v, err := jsonin.Decode(raw, jsonin.Options{MaxBytes: MaxInputBytes})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidInput)
	}
	return obj, nil
}

func isType(obj map[string]any, t string) bool {
	switch v := obj["type"].(type) {
	case string:
		return v == t
	case []any:
		for _, x := range v {
			if x == t {
				return true
			}
		}
	}
	return false
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
