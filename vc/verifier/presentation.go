package verifier

import (
	"context"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// PresentationResult is the outcome of VerifyPresentation.
type PresentationResult struct {
	// Verified is true when the presentation's proof and every contained credential verified.
	Verified     bool
	Presentation *vc.Presentation // nil when it could not be read
	Enveloped    bool             // an EnvelopedVerifiablePresentation (vp+jwt)
	Checks       []CheckResult    // "proof": the holder's proof, with challenge and domain (none when Unsigned and unproven)
	Proofs       []ProofResult
	Credentials  []*Result // one per contained credential, in document order
}

// VerifyPresentation verifies a presentation: raw is the JSON of a presentation with Data
// Integrity proofs, whose purpose must be authentication and whose challenge and domain must
// be opts.Challenge and opts.Domain, made by the holder when it names one; or of an
// EnvelopedVerifiablePresentation holding a vp+jwt, whose nonce and aud must be them. Each
// contained credential is verified as VerifyCredential does. Errors are as for
// VerifyCredential.
func (v *Verifier) VerifyPresentation(ctx context.Context, raw []byte, opts Options) (*PresentationResult, error) {
	run, err := opts.plan()
	if err != nil {
		return nil, err
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	now := v.now(opts)
	res := &PresentationResult{Verified: true}
	if isType(obj, "EnvelopedVerifiablePresentation") {
		res.Enveloped = true
		return res, v.verifyVPJWT(ctx, obj, opts, run, now, res)
	}
	p, err := vc.ParsePresentation(raw, vc.ParseOptions{MaxBytes: MaxInputBytes})
	if err != nil {
		res.add(err)
		return res, nil
	}
	res.Presentation = p
	if _, signed := obj["proof"]; signed || !opts.Unsigned {
		res.Proofs, err = v.verifyProofs(ctx, raw, now, proofCheck{signer: p.Holder().ID, mismatch: ErrHolderMismatch,
			purpose: string(did.Authentication), challenge: opts.Challenge, domain: opts.Domain})
		res.add(err)
	}
	inner := Options{Checks: opts.Checks, Now: opts.Now}
	for _, pc := range p.Credentials() {
		var craw []byte
		if pc.Credential != nil {
			craw, _ = pc.Credential.MarshalJSON()
		} else {
			craw = marshal(pc.Enveloped.Value)
		}
		cr, err := v.VerifyCredential(ctx, craw, inner)
		if err != nil {
			cr = &Result{}
			cr.add(CheckProof, err)
		}
		res.addCredential(cr)
	}
	return res, nil
}

// verifyVPJWT verifies a vp+jwt and its enveloped vc+jwt credentials, then runs the other
// checks on each credential.
func (v *Verifier) verifyVPJWT(ctx context.Context, obj map[string]any, opts Options, run map[string]bool,
	now time.Time, res *PresentationResult) error {
	if len(opts.Domain) > 1 {
		return fmt.Errorf("%w: a vp+jwt has one audience; several domains were given", ErrInvalidInput)
	}
	_, jws, err := jose.Unenvelope(obj)
	if err != nil {
		res.add(err)
		return nil
	}
	jo := v.joseOptions(now)
	jo.Nonce = opts.Challenge
	if len(opts.Domain) == 1 {
		jo.Audience = opts.Domain[0]
	}
	vp, err := jose.VerifyPresentation(ctx, jws, jo)
	if err != nil {
		res.add(err)
		return nil
	}
	res.Presentation = vp.Presentation
	res.add(nil)
	for _, c := range vp.Credentials {
		cr := &Result{Verified: true, Credential: c.Credential, Enveloped: true}
		cr.add(CheckProof, nil)
		v.runChecks(ctx, cr, run, now)
		res.addCredential(cr)
	}
	return nil
}

// Errors returns the errors of the presentation's own checks that failed (not those of
// its credentials, which each Result in Credentials holds).
func (r *PresentationResult) Errors() []error { return failedChecks(r.Checks) }

func (r *PresentationResult) add(err error) {
	r.Checks = append(r.Checks, CheckResult{Check: CheckProof, Err: err})
	if err != nil {
		r.Verified = false
	}
}

func (r *PresentationResult) addCredential(c *Result) {
	r.Credentials = append(r.Credentials, c)
	if !c.Verified {
		r.Verified = false
	}
}
