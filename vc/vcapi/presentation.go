package vcapi

import (
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// presentationOptions are VCALM VerifyPresentationOptions (challenge, domain,
// returnPresentation) with the extensions this service understands: "checks", and
// returnResults and returnProblemDetails as for a credential (both default to true here).
// Any other option is refused (VCALM § Options).
type presentationOptions struct {
	Checks               []string `json:"checks"`
	Challenge            string   `json:"challenge"`
	Domain               string   `json:"domain"`
	ReturnPresentation   bool     `json:"returnPresentation"`
	ReturnResults        *bool    `json:"returnResults"`
	ReturnProblemDetails *bool    `json:"returnProblemDetails"`
}

func (o presentationOptions) verifier() verifier.Options {
	v := verifier.Options{Checks: o.Checks, Challenge: o.Challenge}
	if o.Domain != "" {
		v.Domain = []string{o.Domain}
	}
	return v
}

// verifyPresentationRequest is VCALM VerifyPresentationRequest, VerifyEnvelopedPresentationRequest
// or, with presentation instead of verifiablePresentation, ProoflessVerifyPresentationRequest.
type verifyPresentationRequest struct {
	VerifiablePresentation jsontext.Value      `json:"verifiablePresentation"`
	Presentation           jsontext.Value      `json:"presentation"`
	Options                presentationOptions `json:"options"`
}

// verifyPresentation serves POST [/instances/{name}]/presentations/verify.
func (h *Handler) verifyPresentation(c *echo.Context) error {
	if err := h.knownInstance(c); err != nil {
		return err
	}
	var req verifyPresentationRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	vp, opts, member := req.VerifiablePresentation, req.Options.verifier(), "verifiablePresentation"
	if len(req.Presentation) > 0 {
		if len(vp) > 0 {
			return problem(fmt.Errorf("%w: give verifiablePresentation or presentation, not both", errBadRequest))
		}
		vp, opts.Unsigned, member = req.Presentation, true, "presentation"
	}
	if err := requireObject(member, vp); err != nil {
		return err
	}
	r, err := h.v.VerifyPresentation(c.Request().Context(), vp, opts)
	if err != nil {
		return problem(err)
	}
	unproven(r, req.Options)
	if p := malformedInput(r.Errors()); p != nil {
		return p
	}
	return writeJSON(c, http.StatusOK, presentationResult(r, req.Options, vp))
}

// unproven fails a presentation without a proof when a challenge or a domain was asked
// for: nothing in it answers them. Data Integrity § 4.3 Verify Proof raises
// INVALID_CHALLENGE_ERROR when "options has a non-null challenge item, and it does not
// match proof.challenge", and INVALID_DOMAIN_ERROR likewise for the domain; a presentation
// with no proof matches neither, so the result is verified: false with those problems
// (a 200 result, as for any well-formed input that fails a check).
func unproven(r *verifier.PresentationResult, o presentationOptions) {
	proofChecked := slices.ContainsFunc(r.Checks, func(c verifier.CheckResult) bool { return c.Check == verifier.CheckProof })
	if proofChecked {
		return
	}
	if o.Domain != "" {
		r.Checks = append(r.Checks, verifier.CheckResult{Check: verifier.CheckProof, Err: &dataintegrity.Error{
			Type: dataintegrity.InvalidDomainError, Proof: -1, Detail: "the presentation has no proof to carry the domain"}})
		r.Verified = false
	}
	if o.Challenge != "" {
		r.Checks = append(r.Checks, verifier.CheckResult{Check: verifier.CheckProof, Err: &dataintegrity.Error{
			Type: dataintegrity.InvalidChallengeError, Proof: -1, Detail: "the presentation has no proof to carry the challenge"}})
		r.Verified = false
	}
}

// presentationResponse is a VCALM VerificationResult of a presentation
// (VerifyPresentationResult.yml).
type presentationResponse struct {
	Verified               bool                 `json:"verified"`
	VerifiablePresentation json.RawMessage      `json:"verifiablePresentation,omitempty"`
	ProblemDetails         []problemDetails     `json:"problemDetails,omitempty"`
	Results                *presentationResults `json:"results,omitempty"`
}

type presentationResults struct {
	Presentation presentationChecks   `json:"presentation"`
	Credentials  []credentialResponse `json:"credentials"`
}

type presentationChecks struct {
	Challenge *inputResult  `json:"challenge,omitempty"`
	Domain    *inputResult  `json:"domain,omitempty"`
	Holder    *inputResult  `json:"holder,omitempty"`
	Proof     []inputResult `json:"proof"`
}

func presentationResult(r *verifier.PresentationResult, o presentationOptions, input []byte) presentationResponse {
	out := presentationResponse{Verified: r.Verified}
	if o.ReturnPresentation {
		out.VerifiablePresentation = json.RawMessage(input)
	}
	if o.ReturnProblemDetails == nil || *o.ReturnProblemDetails {
		out.ProblemDetails = details(r.Errors())
	}
	if o.ReturnResults != nil && !*o.ReturnResults {
		return out
	}
	out.Results = &presentationResults{Presentation: bindingResults(r, o, input), Credentials: []credentialResponse{}}
	all := verifyOptions{ReturnResults: ptr(true)}
	for _, c := range r.Credentials {
		out.Results.Credentials = append(out.Results.Credentials, credentialResult(c, all, nil))
	}
	return out
}

// bindingResults reports the presentation's proofs, and its challenge, domain and holder,
// each on its own: the challenge (domain) verified when every proof carries the one asked
// for and no INVALID_CHALLENGE_ERROR (INVALID_DOMAIN_ERROR) was raised; the holder when a
// proof is made by a verification method of the holder and no holder mismatch was raised,
// whatever the proofs' signatures (reported in proof). A vp+jwt binds its nonce, audience
// and holder in one signature that is checked as a whole, so they are verified together.
func bindingResults(r *verifier.PresentationResult, o presentationOptions, input []byte) presentationChecks {
	errs := r.Errors()
	pc := presentationChecks{Proof: []inputResult{}}
	for _, p := range r.Proofs {
		pc.Proof = append(pc.Proof, inputResult{Verified: p.Err == nil, Input: p.Proof})
	}
	challengeOK, domainOK, holderOK := r.Presentation != nil, r.Presentation != nil, r.Presentation != nil
	var holder string
	if r.Presentation != nil {
		holder = r.Presentation.Holder().ID
	}
	if !r.Enveloped {
		proofs := presentedProofs(input)
		challengeOK = everyProof(proofs, func(p map[string]any) bool { return p["challenge"] == o.Challenge }) &&
			!isAny(errs, dataintegrity.ErrInvalidChallenge)
		domainOK = everyProof(proofs, func(p map[string]any) bool { return onlyDomain(p["domain"], o.Domain) }) &&
			!isAny(errs, dataintegrity.ErrInvalidDomain)
		holderOK = madeBy(r.Proofs, holder) && !isAny(errs, verifier.ErrHolderMismatch)
	}
	if o.Challenge != "" {
		pc.Challenge = &inputResult{Verified: challengeOK, Input: o.Challenge}
	}
	if o.Domain != "" {
		pc.Domain = &inputResult{Verified: domainOK, Input: o.Domain}
	}
	if holder != "" {
		pc.Holder = &inputResult{Verified: holderOK, Input: holder}
	}
	return pc
}

// presentedProofs returns the proof objects of a presentation as given.
func presentedProofs(vp []byte) []map[string]any {
	var doc struct {
		Proof any `json:"proof"`
	}
	if json.Unmarshal(vp, &doc) != nil {
		return nil
	}
	switch p := doc.Proof.(type) {
	case map[string]any:
		return []map[string]any{p}
	case []any:
		var out []map[string]any
		for _, e := range p {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// onlyDomain reports whether a proof's domain, a string or a set of strings, is the set
// holding want alone (Data Integrity § 4.3: "treating a single string as a set containing
// just that string").
func onlyDomain(domain any, want string) bool {
	switch d := domain.(type) {
	case string:
		return d == want
	case []any:
		return len(d) > 0 && !slices.ContainsFunc(d, func(e any) bool { return e != want })
	}
	return false
}

// madeBy reports whether a proof is made by a verification method of did.
func madeBy(proofs []verifier.ProofResult, did string) bool {
	return slices.ContainsFunc(proofs, func(p verifier.ProofResult) bool {
		vm, _ := p.Proof["verificationMethod"].(string)
		controller, _, _ := strings.Cut(vm, "#")
		return did != "" && controller == did
	})
}

// everyProof reports whether there is at least one proof and f holds for each.
func everyProof(proofs []map[string]any, f func(map[string]any) bool) bool {
	return len(proofs) > 0 && !slices.ContainsFunc(proofs, func(p map[string]any) bool { return !f(p) })
}

func isAny(errs []error, target error) bool {
	return slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, target) })
}

func ptr[T any](v T) *T { return &v }
