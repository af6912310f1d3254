package vcapi

import (
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/vc"
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

// claimsCommon is the part of the convenience bodies that both endpoints read.
type claimsCommon struct {
	Agent           string       `json:"agent"`
	ValiditySeconds int64        `json:"validitySeconds"`
	Options         issueOptions `json:"options"`
}

func (r *claimsCommon) common() (issuer.IssueOptions, time.Duration, error) {
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

// scopeRequest is the body of POST /credentials/issue/scope.
type scopeRequest struct {
	claimsCommon
	Grants    jsontext.Value `json:"grants"` // the credentialSubject.scope array
	Delegator scope.Party    `json:"delegator"`
}

// complianceRequest is the body of POST /credentials/issue/compliance.
type complianceRequest struct {
	claimsCommon
	Claims jsontext.Value `json:"claims"` // frameworks, modelProvenance, …
}

// claimsBody is a convenience body: a scope or compliance request.
type claimsBody interface{ fields() *claimsCommon }

func (r *claimsCommon) fields() *claimsCommon { return r }

// issueClaims is the common part of the convenience endpoints: authorise, replay an
// idempotent retry, decode the body into req, then issue through build, which reads the
// endpoint's own members of req.
func (h *Handler) issueClaims(c *echo.Context, req claimsBody,
	build func(base issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error)) error {
	caller, err := h.authorize(c, ActionIssue)
	if err != nil {
		return err
	}
	idem, done, err := h.idempotent(c, caller, http.StatusCreated, issuedBody)
	if done || err != nil {
		return err
	}
	if err := h.decode(c, req); err != nil {
		return err
	}
	opts, validity, err := req.fields().common()
	if err != nil {
		return problem(err)
	}
	base := issuer.IssueRequest{Instance: c.Param("instance"), Options: opts, Caller: caller, Idempotency: idem}
	out, err := build(base, validity)
	return h.issued(c, out, err)
}

// issueScope serves POST /credentials/issue/scope.
func (h *Handler) issueScope(c *echo.Context) error {
	var req scopeRequest
	return h.issueClaims(c, &req, func(b issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error) {
		if err := requireMember("grants", req.Grants); err != nil {
			return nil, err
		}
		grants, err := scope.ParseGrants(req.Grants)
		if err != nil {
			return nil, within("grants", err)
		}
		return h.is.IssueScope(c.Request().Context(), issuer.ScopeRequest{Instance: b.Instance, Agent: req.Agent,
			Grants: grants, Delegator: req.Delegator, Validity: validity, Options: b.Options, Caller: b.Caller, Idempotency: b.Idempotency})
	})
}

// issueCompliance serves POST /credentials/issue/compliance.
func (h *Handler) issueCompliance(c *echo.Context) error {
	var req complianceRequest
	return h.issueClaims(c, &req, func(b issuer.IssueRequest, validity time.Duration) (*issuer.Issued, error) {
		if err := requireMember("claims", req.Claims); err != nil {
			return nil, err
		}
		claims, err := compliance.ParseClaims(req.Claims)
		if err != nil {
			return nil, within("claims", err)
		}
		return h.is.IssueCompliance(c.Request().Context(), issuer.ComplianceRequest{Instance: b.Instance, Agent: req.Agent,
			Claims: claims, Validity: validity, Options: b.Options, Caller: b.Caller, Idempotency: b.Idempotency})
	})
}

// within marks an error about the claims of a request member as invalid input (400),
// its JSON Pointer made relative to the request body.
func within(member string, err error) error {
	var ve *vc.Error
	if errors.As(err, &ve) {
		moved := *ve
		moved.Path = "/" + member + ve.Path
		err = &moved
	}
	return fmt.Errorf("%w: %s: %w", errBadRequest, member, err)
}
