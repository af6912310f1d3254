package vcapi

import (
	"encoding/json"
	"encoding/json/jsontext"
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// verifyOptions are VCALM VerifyCredentialOptions with the "checks" member that
// deployed VC API clients send. Like every request member, an unknown option is refused
// (VCALM § Options; VerifyCredentialOptions is additionalProperties: false).
type verifyOptions struct {
	Checks               []string `json:"checks"`
	ReturnResults        *bool    `json:"returnResults"`
	ReturnProblemDetails *bool    `json:"returnProblemDetails"`
	ReturnCredential     bool     `json:"returnCredential"`
}

type verifyCredentialRequest struct {
	VerifiableCredential jsontext.Value `json:"verifiableCredential"`
	Options              verifyOptions  `json:"options"`
}

// verifyCredential serves POST [/instances/{name}]/credentials/verify: 200 with a VCALM
// VerificationResult when the credential is well formed, verified or not; 400 for a body
// that holds no credential, or one that is malformed (see malformedInput).
func (h *Handler) verifyCredential(c *echo.Context) error {
	if err := h.knownInstance(c); err != nil {
		return err
	}
	var req verifyCredentialRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	if err := requireObject("verifiableCredential", req.VerifiableCredential); err != nil {
		return err
	}
	r, err := h.v.VerifyCredential(c.Request().Context(), req.VerifiableCredential, verifier.Options{Checks: req.Options.Checks})
	if err != nil {
		return problem(err)
	}
	if p := malformedInput(r.Errors()); p != nil {
		return p
	}
	return writeJSON(c, http.StatusOK, credentialResult(r, req.Options, req.VerifiableCredential))
}

// knownInstance answers 404 for a path naming an issuer instance that does not exist: a
// client configured with an instance's base URL (VCALM § Base URL) verifies under it, and
// verification does not depend on the instance.
func (h *Handler) knownInstance(c *echo.Context) error {
	if name := c.Param("instance"); name != "" {
		if _, err := h.is.Instance(name); err != nil {
			return problem(err)
		}
	}
	return nil
}

// credentialResponse is a VCALM VerificationResult of a credential (VerifyCredentialResult.yml).
type credentialResponse struct {
	Verified       bool               `json:"verified"`
	Credential     json.RawMessage    `json:"credential,omitempty"`
	ProblemDetails []problemDetails   `json:"problemDetails,omitempty"`
	Results        *credentialResults `json:"results,omitempty"`
}

// credentialResults are VCALM's results, and credentialSubject: the subject DID check of
// kakunin (every did:kakunin subject resolves and is active), one entry per subject it
// checked, when it ran.
type credentialResults struct {
	ValidFrom         *inputResult   `json:"validFrom,omitempty"`
	ValidUntil        *inputResult   `json:"validUntil,omitempty"`
	CredentialSchema  []inputResult  `json:"credentialSchema"`
	CredentialStatus  []statusResult `json:"credentialStatus"`
	CredentialSubject []inputResult  `json:"credentialSubject,omitempty"`
	Proof             []inputResult  `json:"proof"`
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
	c := r.Credential
	if c == nil {
		return res
	}
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
	if ok, ran := passed[verifier.CheckSubject]; ran {
		for _, id := range checkedSubjects(c.Subjects()) {
			res.CredentialSubject = append(res.CredentialSubject, inputResult{Verified: ok, Input: id})
		}
	}
	return res
}

// checkedSubjects are the subject ids the verifier's subject check covers: the did:kakunin
// ones (verifier.CheckSubject).
func checkedSubjects(subjects []map[string]any) []string {
	var out []string
	for _, s := range subjects {
		if id, _ := s["id"].(string); strings.HasPrefix(id, "did:kakunin:") {
			out = append(out, id)
		}
	}
	return out
}
