package vcapi

import (
	"encoding/json"
	"encoding/json/jsontext"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc/compliance"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// issueOptions are VCALM IssueCredentialOptions with the extensions that choose the securing
// mechanism.
type issueOptions struct {
	CredentialID string `json:"credentialId"`
	// MandatoryPointers is read and must be empty: no selective-disclosure suite is offered.
	MandatoryPointers []string `json:"mandatoryPointers"`
	Cryptosuite       string   `json:"cryptosuite"`
	Format            string   `json:"format"` // "vc+jwt" for an EnvelopedVerifiableCredential
}

func (o issueOptions) issuer() (issuer.IssueOptions, error) {
	if len(o.MandatoryPointers) > 0 {
		return issuer.IssueOptions{}, fmt.Errorf("%w: mandatoryPointers: no selective disclosure cryptosuite is offered", errBadRequest)
	}
	return issuer.IssueOptions{Cryptosuite: o.Cryptosuite, Format: o.Format}, nil
}

type issueRequest struct {
	Credential jsontext.Value `json:"credential"`
	Options    issueOptions   `json:"options"`
}

type issueResponse struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
}

// issue serves POST /credentials/issue: 201 {"verifiableCredential": …}.
func (h *Handler) issue(c *echo.Context) error {
	caller, err := h.authorize(c, ActionIssue)
	if err != nil {
		return err
	}
	idem, done, err := h.idempotent(c, caller, http.StatusCreated, issuedBody)
	if done || err != nil {
		return err
	}
	var req issueRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	if err := requireObject("credential", req.Credential); err != nil {
		return err
	}
	opts, err := req.Options.issuer()
	if err != nil {
		return problem(err)
	}
	out, err := h.is.Issue(c.Request().Context(), issuer.IssueRequest{Instance: c.Param("instance"),
		Credential: req.Credential, CredentialID: req.Options.CredentialID, Options: opts, Caller: caller,
		Idempotency: idem})
	return h.issued(c, out, err)
}

func (h *Handler) issued(c *echo.Context, out *issuer.Issued, err error) error {
	if err != nil {
		return fail(c, err)
	}
	b, err := issuedBody(out)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusCreated, "application/json", b)
}

// issuedBody is the response body of an issuance, as sent and as recorded for its
// idempotency key.
func issuedBody(out *issuer.Issued) ([]byte, error) {
	return json.Marshal(issueResponse{VerifiableCredential: out.VerifiableCredential})
}

// claimsRequest is the body of the convenience endpoints.
type claimsRequest struct {
	Agent           string         `json:"agent"`
	ValiditySeconds int64          `json:"validitySeconds"`
	Options         issueOptions   `json:"options"`
	Grants          jsontext.Value `json:"grants"`    // scope: the credentialSubject.scope array
	Delegator       scope.Party    `json:"delegator"` // scope
	Claims          jsontext.Value `json:"claims"`    // compliance: frameworks, modelProvenance, …
}

func (r claimsRequest) common() (issuer.IssueOptions, time.Duration, error) {
	opts, err := r.Options.issuer()
	switch {
	case err != nil:
		return opts, 0, err
	case r.Agent == "":
		return opts, 0, fmt.Errorf("%w: agent is required", errBadRequest)
	case r.ValiditySeconds < 0 || r.ValiditySeconds > 100*365*24*3600:
		return opts, 0, fmt.Errorf("%w: validitySeconds out of range", errBadRequest)
	}
	return opts, time.Duration(r.ValiditySeconds) * time.Second, nil
}

// claimsIssue is the common part of the convenience endpoints: authorise, replay an
// idempotent retry, decode the claims request, then issue through build.
type claimsIssue func(c *echo.Context, req claimsRequest, base issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error)

func (h *Handler) issueClaims(c *echo.Context, build claimsIssue) error {
	caller, err := h.authorize(c, ActionIssue)
	if err != nil {
		return err
	}
	idem, done, err := h.idempotent(c, caller, http.StatusCreated, issuedBody)
	if done || err != nil {
		return err
	}
	var req claimsRequest
	if err := h.decode(c, &req); err != nil {
		return err
	}
	opts, validity, err := req.common()
	if err != nil {
		return problem(err)
	}
	base := issuer.IssueRequest{Instance: c.Param("instance"), Options: opts, Caller: caller, Idempotency: idem}
	out, err := build(c, req, base, validity)
	return h.issued(c, out, err)
}

// issueScope serves POST /credentials/issue/scope.
func (h *Handler) issueScope(c *echo.Context) error {
	return h.issueClaims(c, func(c *echo.Context, req claimsRequest, b issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error) {
		grants, err := scope.ParseGrants(req.Grants)
		if err != nil {
			return nil, fmt.Errorf("%w: grants: %w", errBadRequest, err)
		}
		return h.is.IssueScope(c.Request().Context(), issuer.ScopeRequest{Instance: b.Instance, Agent: req.Agent,
			Grants: grants, Delegator: req.Delegator, Validity: validity, Options: b.Options, Caller: b.Caller, Idempotency: b.Idempotency})
	})
}

// issueCompliance serves POST /credentials/issue/compliance.
func (h *Handler) issueCompliance(c *echo.Context) error {
	return h.issueClaims(c, func(c *echo.Context, req claimsRequest, b issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error) {
		claims, err := compliance.ParseClaims(req.Claims)
		if err != nil {
			return nil, fmt.Errorf("%w: claims: %w", errBadRequest, err)
		}
		return h.is.IssueCompliance(c.Request().Context(), issuer.ComplianceRequest{Instance: b.Instance, Agent: req.Agent,
			Claims: claims, Validity: validity, Options: b.Options, Caller: b.Caller, Idempotency: b.Idempotency})
	})
}
