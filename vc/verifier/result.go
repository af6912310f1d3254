package verifier

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/kakunin-dev/kakunin/vc"
)

// Sentinels of failed checks that no lower package reports.
var (
	ErrRevoked             = errors.New("verifier: credential revoked")
	ErrSuspended           = errors.New("verifier: credential suspended")
	ErrIssuerMismatch      = errors.New("verifier: proof not made by the credential's issuer")
	ErrHolderMismatch      = errors.New("verifier: proof not made by the presentation's holder")
	ErrSubjectUnresolvable = errors.New("verifier: subject DID does not resolve")
	ErrSubjectDeactivated  = errors.New("verifier: subject DID is deactivated")
	ErrSubjectInactive     = errors.New("verifier: subject DID has no currently valid certificate")
	// ErrInvalidInput: the input is not a credential or presentation at all (not JSON, not
	// an object), or the options are unknown; an API answers 400.
	ErrInvalidInput = errors.New("verifier: invalid input")
)

// ProblemTypeBase prefixes the problem type URL of the failures this package defines.
const ProblemTypeBase = "https://kakunin.dev/problems/verification#"

// Check names, as Options.Checks and Result.Checks carry them.
const (
	CheckProof    = "proof"    // Data Integrity proofs or the vc+jwt signature, by the issuer
	CheckValidity = "validity" // validFrom and validUntil against the clock
	CheckStatus   = "status"   // Bitstring Status List entries: neither revoked nor suspended
	CheckSubject  = "subject"  // every did:kakunin subject resolves and is active
	CheckSchema   = "schema"   // claims of the kakunin credential types follow their schema
)

// CheckResult is the outcome of one check; Err is nil when it passed.
type CheckResult struct {
	Check string
	Err   error
}

// CheckError is a failure this package detects, with its sentinel and detail.
type CheckError struct {
	Err    error // one of the sentinels above
	Detail string
}

func (e *CheckError) Error() string { return fmt.Sprintf("%v: %s", e.Err, e.Detail) }

// Unwrap returns the sentinel.
func (e *CheckError) Unwrap() error { return e.Err }

// Problem returns the RFC 9457 object of the failure.
func (e *CheckError) Problem() vc.Problem {
	name := "VERIFICATION_ERROR"
	for _, n := range names {
		if errors.Is(e.Err, n.err) {
			name = n.name
		}
	}
	return vc.Problem{Type: ProblemTypeBase + name, Title: e.Err.Error(), Detail: e.Detail,
		Status: http.StatusUnprocessableEntity}
}

var names = []struct {
	err  error
	name string
}{
	{ErrRevoked, "REVOKED"},
	{ErrSuspended, "SUSPENDED"},
	{ErrIssuerMismatch, "ISSUER_MISMATCH"},
	{ErrHolderMismatch, "HOLDER_MISMATCH"},
	{ErrSubjectUnresolvable, "SUBJECT_UNRESOLVABLE"},
	{ErrSubjectDeactivated, "SUBJECT_DEACTIVATED"},
	{ErrSubjectInactive, "SUBJECT_INACTIVE"},
}

func fail(err error, format string, args ...any) error {
	return &CheckError{Err: err, Detail: fmt.Sprintf(format, args...)}
}

// ProofResult is the outcome of one proof of a secured document.
type ProofResult struct {
	Proof map[string]any // the proof object as given (nil for a vc+jwt)
	Err   error
}

// StatusResult is the outcome of one credentialStatus entry.
type StatusResult struct {
	Entry map[string]any // the credentialStatus object
	Value uint64         // its status value in the list
	Err   error          // nil when the entry was read and is unset
}

// Result is the outcome of VerifyCredential.
type Result struct {
	// Verified is true when every check that ran passed.
	Verified bool
	// Credential is the credential read from the input, nil when it could not be read.
	Credential *vc.Credential
	// Enveloped is true for an EnvelopedVerifiableCredential (vc+jwt).
	Enveloped bool
	Checks    []CheckResult
	Proofs    []ProofResult
	Status    []StatusResult
}

func (r *Result) add(check string, err error) {
	r.Checks = append(r.Checks, CheckResult{Check: check, Err: err})
	if err != nil {
		r.Verified = false
	}
}

// Errors returns the errors of the failed checks, in order.
func (r *Result) Errors() []error { return failedChecks(r.Checks) }

func failedChecks(checks []CheckResult) []error {
	var out []error
	for _, c := range checks {
		if c.Err != nil {
			out = append(out, c.Err)
		}
	}
	return out
}

// ProblemOf returns the RFC 9457 object of an error of a check: the error's own when it has
// one (vc, dataintegrity, status and this package's errors do), a generic one otherwise.
func ProblemOf(err error) vc.Problem {
	var p interface{ Problem() vc.Problem }
	if errors.As(err, &p) {
		return p.Problem()
	}
	return vc.Problem{Type: ProblemTypeBase + "VERIFICATION_ERROR", Title: "verification error",
		Detail: err.Error(), Status: http.StatusUnprocessableEntity}
}
