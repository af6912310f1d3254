package vcapi

import (
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/scope"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// Bounds of a scope check request.
const (
	// MaxCheckSkew bounds how far a scope check's request.at may be from the service's clock.
	MaxCheckSkew = 5 * time.Minute
	// maxRatePeriods bounds the members of request.recentRequests: a scope has at most 64
	// grants, and so at most 64 rate periods.
	maxRatePeriods = 64
	// maxRecentRequests bounds each count of request.recentRequests, far above the largest rate
	// limit (1,000,000) and far below an overflow of the count plus this request.
	maxRecentRequests = 1_000_000_000
)

// ProblemTypeNotScope is the type of the 422 problem of a scope check whose credential verifies
// but is not a KakuninScopeCredential.
const ProblemTypeNotScope = verifier.ProblemTypeBase + "NOT_SCOPE_CREDENTIAL"

// ReasonNotVerified is the reason of a scope check denied because the credential failed
// verification; the failed checks are in the answer's verification.problemDetails.
const ReasonNotVerified scope.Reason = "not-verified"

// scopeCheckRequest is the body of POST /credentials/verify/scope.
type scopeCheckRequest struct {
	VerifiableCredential jsontext.Value `json:"verifiableCredential"`
	Request              *checkRequest  `json:"request"`
}

// checkRequest is scope.Request as JSON: the usage so far (dailyTotalSoFar, recentRequests)
// is the gateway's to count.
type checkRequest struct {
	Action          string         `json:"action"`
	Resource        string         `json:"resource"`
	Audience        string         `json:"audience"`
	Amount          *amount        `json:"amount"`
	Instrument      string         `json:"instrument"`
	Venue           string         `json:"venue"`
	At              string         `json:"at"`
	DailyTotalSoFar *amount        `json:"dailyTotalSoFar"`
	RecentRequests  map[string]int `json:"recentRequests"` // rate period as written → count
}

type amount struct {
	Decimal  string `json:"value"`
	Currency string `json:"currency"`
}

func (a *amount) scope() scope.Amount {
	if a == nil {
		return scope.Amount{}
	}
	return scope.Amount{Value: a.Decimal, Currency: a.Currency}
}

// scopeCheckResponse is the answer: the decision, the instant it was made at, the agent the
// credential is about, and the credential's verification result.
type scopeCheckResponse struct {
	scope.Decision
	At           string             `json:"at"`
	Agent        string             `json:"agent,omitempty"`
	Verification credentialResponse `json:"verification"`
}

// checkScope serves POST /credentials/verify/scope: it verifies the credential with every check
// (proof, validity, status, subject, schema) at the request's instant, and only when it verified
// asks its scope whether it allows the request. 200 with allowed false and reason
// "not-verified" when the credential fails a check; 400 for a malformed body or credential;
// 422 (ProblemTypeNotScope) for a verified credential that is not a scope credential.
func (h *Handler) checkScope(c *echo.Context) error {
	req, at, err := h.readCheck(c)
	if err != nil {
		return err
	}
	r, err := h.v.VerifyCredential(c.Request().Context(), req.VerifiableCredential, verifier.Options{Now: at})
	if err != nil {
		return problem(err)
	}
	if p := malformedInput(r.Errors()); p != nil {
		return p
	}
	out := scopeCheckResponse{At: at.UTC().Format(time.RFC3339Nano), Verification: credentialResult(r, verifyOptions{}, nil)}
	if !r.Verified {
		out.Decision = notVerified(r)
		return writeJSON(c, http.StatusOK, out)
	}
	s, err := scope.ParseScope(r.Credential)
	if err != nil {
		return notScope(r.Credential, err)
	}
	out.Agent, out.Decision = s.Agent, req.Request.decide(s, at)
	return writeJSON(c, http.StatusOK, out)
}

// readCheck decodes the body (strictly: decode refuses unknown members) and returns it with
// the instant of the request: request.at, within MaxCheckSkew of the service's clock
// (Options.Now), or that clock.
func (h *Handler) readCheck(c *echo.Context) (*scopeCheckRequest, time.Time, error) {
	var req scopeCheckRequest
	if err := h.decode(c, &req); err != nil {
		return nil, time.Time{}, err
	}
	if err := requireObject("verifiableCredential", req.VerifiableCredential); err != nil {
		return nil, time.Time{}, err
	}
	if err := req.check(); err != nil {
		return nil, time.Time{}, problem(err)
	}
	at, err := req.Request.instant(h.now())
	if err != nil {
		return nil, time.Time{}, problem(err)
	}
	return &req, at, nil
}

// check refuses a missing request or action, and counts out of range.
func (r *scopeCheckRequest) check() error {
	q := r.Request
	switch {
	case q == nil:
		return fmt.Errorf("%w: request is required", errBadRequest)
	case q.Action == "":
		return fmt.Errorf("%w: request.action is required", errBadRequest)
	case len(q.RecentRequests) > maxRatePeriods:
		return fmt.Errorf("%w: request.recentRequests has more than %d members", errBadRequest, maxRatePeriods)
	}
	for period, n := range q.RecentRequests {
		if n < 0 || n > maxRecentRequests {
			return fmt.Errorf("%w: request.recentRequests[%.64q] must be from 0 to %d", errBadRequest, period, maxRecentRequests)
		}
	}
	return nil
}

// instant returns the time of the request: request.at when given, which must be an RFC 3339
// date-time within MaxCheckSkew of now, and now otherwise.
func (q *checkRequest) instant(now time.Time) (time.Time, error) {
	if q.At == "" {
		return now, nil
	}
	at, err := time.Parse(time.RFC3339Nano, q.At)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: request.at must be an RFC 3339 date-time such as 2026-04-01T12:00:00Z", errBadRequest)
	}
	if d := at.Sub(now); d > MaxCheckSkew || d < -MaxCheckSkew {
		return time.Time{}, fmt.Errorf("%w: request.at is %s from the service's clock; at most %s is accepted", errBadRequest, d.Round(time.Second), MaxCheckSkew)
	}
	return at, nil
}

// decide asks s about q at the instant at. The gateway gives recent request counts keyed by the
// rate limit's period as the credential writes it; a count it did not give is input-required,
// as for a gateway that calls Allows without RecentRequests.
func (q *checkRequest) decide(s *scope.Scope, at time.Time) scope.Decision {
	names := periodNames(s)
	d := s.Allows(scope.Request{
		Action: q.Action, Resource: q.Resource, Audience: q.Audience, Amount: q.Amount.scope(),
		Instrument: q.Instrument, Venue: q.Venue, At: at, DailyTotalSoFar: q.DailyTotalSoFar.scope(),
		RecentRequests: func(period time.Duration) int {
			for _, name := range names[period] {
				if n, ok := q.RecentRequests[name]; ok {
					return n
				}
			}
			return -1 // counts are checked non-negative: -1 means "not given"
		},
	})
	if d.Reason == scope.ReasonInvalidRequest && d.Limit == "rate" {
		name := s.Grants[d.Grant].Limits.Rate.Period.String()
		if written := names[s.Grants[d.Grant].Limits.Rate.Period]; len(written) > 0 {
			name = written[0]
		}
		d.Reason = scope.ReasonInputRequired
		d.Detail = fmt.Sprintf("the rate limit needs request.recentRequests[%q], the count of requests in the trailing %s", name, name)
	}
	return d
}

// periodNames maps each rate period of s to the names the credential writes it with ("PT1M").
func periodNames(s *scope.Scope) map[time.Duration][]string {
	out := map[time.Duration][]string{}
	for _, g := range s.Grants {
		if r := g.Limits.Rate; r != nil {
			out[r.Period] = append(out[r.Period], r.Written)
		}
	}
	return out
}

func notVerified(r *verifier.Result) scope.Decision {
	d := scope.Decision{Reason: ReasonNotVerified, Grant: -1, Detail: "the credential failed verification"}
	if errs := r.Errors(); len(errs) > 0 {
		d.Detail += ": " + verifier.ProblemOf(errs[0]).Title
	}
	return d
}

// notScope is the 422 problem of a verified credential that ParseScope refuses. The verifier's
// schema check reads every credential of the scope type, so such a credential lacks the type.
func notScope(c *vc.Credential, err error) error {
	detail, pointer := err.Error(), ""
	var ve *vc.Error
	if errors.As(err, &ve) {
		pointer = ve.Path
	}
	if !c.HasType(spec.ScopeCredentialType) {
		detail, pointer = "the credential's type does not include "+spec.ScopeCredentialType, "/type"
	}
	p := server.NewProblem(http.StatusUnprocessableEntity, ProblemTypeNotScope, detail)
	p.Title = "not a scope credential"
	if pointer != "" {
		p.Extensions = map[string]any{"pointer": pointer}
	}
	return p
}
