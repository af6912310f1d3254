package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/kakunin-dev/kakunin/vc/compliance"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// ScopeRequest asks for a KakuninScopeCredential built from its claims.
type ScopeRequest struct {
	Instance  string
	Agent     string // the agent's DID, the credential subject
	Grants    []scope.Grant
	Delegator scope.Party
	Validity  time.Duration // zero means the instance's MaxValidity
	Options   IssueOptions  // Options.Validity is ignored
	Caller    Caller
	// Idempotency, when not nil, records the response in the issuance's transaction.
	Idempotency Idempotency
}

// ComplianceRequest asks for a KakuninComplianceCredential built from its claims.
type ComplianceRequest struct {
	Instance string
	Agent    string
	Claims   compliance.Claims
	Validity time.Duration
	Options  IssueOptions
	Caller   Caller
	// Idempotency, when not nil, records the response in the issuance's transaction.
	Idempotency Idempotency
}

// IssueScope builds the scope credential with vc/scope and issues it as Issue does.
func (is *Issuer) IssueScope(ctx context.Context, r ScopeRequest) (*Issued, error) {
	from, until, err := is.period(r.Instance, r.Validity)
	if err != nil {
		return nil, err
	}
	doc, err := scope.NewCredential(r.Agent, r.Grants, r.Delegator, from, until)
	if err != nil {
		return nil, errors.Join(ErrInvalidRequest, err)
	}
	return is.issueDoc(ctx, IssueRequest{Instance: r.Instance, Options: r.Options, Caller: r.Caller, Idempotency: r.Idempotency}, doc)
}

// IssueCompliance builds the compliance credential with vc/compliance and issues it as Issue
// does.
func (is *Issuer) IssueCompliance(ctx context.Context, r ComplianceRequest) (*Issued, error) {
	from, until, err := is.period(r.Instance, r.Validity)
	if err != nil {
		return nil, err
	}
	doc, err := compliance.NewCredential(r.Agent, r.Claims, from, until)
	if err != nil {
		return nil, errors.Join(ErrInvalidRequest, err)
	}
	return is.issueDoc(ctx, IssueRequest{Instance: r.Instance, Options: r.Options, Caller: r.Caller, Idempotency: r.Idempotency}, doc)
}

func (is *Issuer) period(instance string, validity time.Duration) (from, until time.Time, err error) {
	in, err := is.Instance(instance)
	if err != nil {
		return from, until, err
	}
	if validity < 0 {
		return from, until, invalid("negative validity")
	}
	if validity == 0 {
		validity = in.MaxValidity
	}
	from = is.now()
	return from, from.Add(validity), nil
}

func (is *Issuer) issueDoc(ctx context.Context, req IssueRequest, doc map[string]any) (*Issued, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, invalid("credential cannot be encoded")
	}
	req.Credential, req.Options.Validity = raw, 0
	return is.Issue(ctx, req)
}
