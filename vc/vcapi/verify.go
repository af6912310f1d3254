package vcapi

import (
	"encoding/json"
	"encoding/json/jsontext"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// verifyOptions are VCALM VerifyCredentialOptions and VerifyPresentationOptions, with the
// "checks" member that deployed VC API clients send.
type verifyOptions struct {
	Checks               []string `json:"checks"`
	ReturnResults        *bool    `json:"returnResults"`
	ReturnProblemDetails *bool    `json:"returnProblemDetails"`
	ReturnCredential     bool     `json:"returnCredential"`
	ReturnPresentation   bool     `json:"returnPresentation"`
	Challenge            string   `json:"challenge"`
	Domain               string   `json:"domain"`
}

func (o verifyOptions) verifier() verifier.Options {
	v := verifier.Options{Checks: o.Checks, Challenge: o.Challenge}
	if o.Domain != "" {
		v.Domain = []string{o.Domain}
	}
	return v
}

type verifyCredentialRequest struct {
	VerifiableCredential jsontext.Value `json:"verifiableCredential"`
	Options              verifyOptions  `json:"options"`
}

// verifyCredential serves POST /credentials/verify: 200 with a VCALM VerificationResult
// when the credential is well formed, verified or not; 400 for a body that holds no
// credential, or one that is malformed (see malformedInput).
func (h *Handler) verifyCredential(c *echo.Context) error {
	var req verifyCredentialRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	if err := requireObject("verifiableCredential", req.VerifiableCredential); err != nil {
		return err
	}
	r, err := h.v.VerifyCredential(c.Request().Context(), req.VerifiableCredential, req.Options.verifier())
	if err != nil {
		return problem(err)
	}
	if p := malformedInput(r.Errors()); p != nil {
		return p
	}
	return writeJSON(c, http.StatusOK, credentialResult(r, req.Options, req.VerifiableCredential))
}

// verifyPresentationRequest is VCALM VerifyPresentationRequest, VerifyEnvelopedPresentationRequest
// or, with presentation instead of verifiablePresentation, ProoflessVerifyPresentationRequest.
type verifyPresentationRequest struct {
	VerifiablePresentation jsontext.Value `json:"verifiablePresentation"`
	Presentation           jsontext.Value `json:"presentation"`
	Options                verifyOptions  `json:"options"`
}

// verifyPresentation serves POST /presentations/verify.
func (h *Handler) verifyPresentation(c *echo.Context) error {
	var req verifyPresentationRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	vp, opts := req.VerifiablePresentation, req.Options.verifier()
	if len(req.Presentation) > 0 {
		if len(vp) > 0 {
			return problem(fmt.Errorf("%w: give verifiablePresentation or presentation, not both", errBadRequest))
		}
		vp, opts.Unsigned = req.Presentation, true
	}
	if err := requireObject("verifiablePresentation", vp); err != nil {
		return err
	}
	r, err := h.v.VerifyPresentation(c.Request().Context(), vp, opts)
	if err != nil {
		return problem(err)
	}
	if p := malformedInput(r.Errors()); p != nil {
		return p
	}
	return writeJSON(c, http.StatusOK, presentationResult(r, req.Options, vp))
}

// credentialResponse is a VCALM VerificationResult of a credential (VerifyCredentialResult.yml).
type credentialResponse struct {
	Verified       bool               `json:"verified"`
	Credential     json.RawMessage    `json:"credential,omitempty"`
	ProblemDetails []problemDetails   `json:"problemDetails,omitempty"`
	Results        *credentialResults `json:"results,omitempty"`
}

type credentialResults struct {
	ValidFrom        *inputResult   `json:"validFrom,omitempty"`
	ValidUntil       *inputResult   `json:"validUntil,omitempty"`
	CredentialSchema []inputResult  `json:"credentialSchema"`
	CredentialStatus []statusResult `json:"credentialStatus"`
	Proof            []inputResult  `json:"proof"`
}

type inputResult struct {
	Verified bool `json:"verified"`
	Input    any  `json:"input,omitempty"`
}

type statusResult struct {
	Value    uint64 `json:"value"`
	Verified bool   `json:"verified"`
	Input    any    `json:"input,omitempty"`
}

// credentialResult writes r in the VCALM shape. problemDetails is returned unless the client
// asked for none (a relying party needs the reason); results when asked for.
func credentialResult(r *verifier.Result, o verifyOptions, input []byte) credentialResponse {
	out := credentialResponse{Verified: r.Verified}
	if o.ReturnCredential {
		out.Credential = json.RawMessage(input)
	}
	if o.ReturnProblemDetails == nil || *o.ReturnProblemDetails {
		out.ProblemDetails = details(r.Errors())
	}
	if o.ReturnResults != nil && *o.ReturnResults {
		out.Results = results(r)
	}
	return out
}

func results(r *verifier.Result) *credentialResults {
	res := &credentialResults{CredentialSchema: []inputResult{}, CredentialStatus: []statusResult{}, Proof: []inputResult{}}
	for _, p := range r.Proofs {
		res.Proof = append(res.Proof, inputResult{Verified: p.Err == nil, Input: p.Proof})
	}
	for _, s := range r.Status {
		res.CredentialStatus = append(res.CredentialStatus, statusResult{Value: s.Value, Verified: s.Err == nil, Input: s.Entry})
	}
	passed := map[string]bool{}
	for _, c := range r.Checks {
		passed[c.Check] = c.Err == nil
	}
	if c := r.Credential; c != nil {
		if v, ok := c.Get("validFrom"); ok {
			res.ValidFrom = &inputResult{Verified: passed[verifier.CheckValidity], Input: v}
		}
		if v, ok := c.Get("validUntil"); ok {
			res.ValidUntil = &inputResult{Verified: passed[verifier.CheckValidity], Input: v}
		}
		if ok, ran := passed[verifier.CheckSchema]; ran {
			for _, s := range c.Schemas() {
				res.CredentialSchema = append(res.CredentialSchema, inputResult{Verified: ok, Input: s.Value})
			}
		}
	}
	return res
}

// presentationResponse is a VCALM VerificationResult of a presentation
// (VerifyPresentationResult.yml).
type presentationResponse struct {
	Verified               bool                `json:"verified"`
	VerifiablePresentation json.RawMessage     `json:"verifiablePresentation,omitempty"`
	ProblemDetails         []problemDetails    `json:"problemDetails,omitempty"`
	Results                presentationResults `json:"results"`
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

func presentationResult(r *verifier.PresentationResult, o verifyOptions, input []byte) presentationResponse {
	errs := r.Errors()
	proofOK := len(errs) == 0
	out := presentationResponse{Verified: r.Verified, ProblemDetails: details(errs)}
	if o.ReturnPresentation {
		out.VerifiablePresentation = json.RawMessage(input)
	}
	pc := presentationChecks{Proof: []inputResult{}}
	for _, p := range r.Proofs {
		pc.Proof = append(pc.Proof, inputResult{Verified: p.Err == nil, Input: p.Proof})
	}
	if o.Challenge != "" {
		pc.Challenge = &inputResult{Verified: proofOK, Input: o.Challenge}
	}
	if o.Domain != "" {
		pc.Domain = &inputResult{Verified: proofOK, Input: o.Domain}
	}
	if r.Presentation != nil && r.Presentation.Holder().ID != "" {
		pc.Holder = &inputResult{Verified: proofOK, Input: r.Presentation.Holder().ID}
	}
	out.Results.Presentation = pc
	out.Results.Credentials = []credentialResponse{}
	all := verifyOptions{ReturnResults: ptr(true)}
	for _, c := range r.Credentials {
		out.Results.Credentials = append(out.Results.Credentials, credentialResult(c, all, nil))
	}
	return out
}

func ptr[T any](v T) *T { return &v }
