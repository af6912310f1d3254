package issuer

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/kakunin-dev/kakunin/vc"
)

// Sentinels of the issuance policy (design/credentials.md, "Policy"). Every refusal is a
// [*PolicyError] that matches exactly one of them with errors.Is.
var (
	ErrSubjectUnresolvable = errors.New("issuer: subject DID does not resolve")
	ErrSubjectDeactivated  = errors.New("issuer: subject DID is deactivated")
	ErrNoValidCertificate  = errors.New("issuer: subject DID has no currently valid certificate")
	ErrNotAuthorized       = errors.New("issuer: caller is not authorised for the subject's owner")
	ErrScopeExceeded       = errors.New("issuer: requested scope exceeds what the instance may grant")
	ErrValidityExceeded    = errors.New("issuer: requested validity exceeds the instance maximum")
)

// Other sentinels.
var (
	// ErrInvalidRequest: the credential or options cannot be issued as given (a proof or
	// credentialStatus already present, an issuer other than the instance's DID, an unknown
	// cryptosuite or format, a credential the data model refuses).
	ErrInvalidRequest = errors.New("issuer: invalid issuance request")
	// ErrUnknownInstance: no issuer instance has the name asked for.
	ErrUnknownInstance = errors.New("issuer: unknown issuer instance")
	// ErrNotFound: no credential or status list has the id asked for.
	ErrNotFound = errors.New("issuer: not found")
	// ErrConflict: the credential id is taken, or a revoked credential cannot be reinstated.
	ErrConflict = errors.New("issuer: conflict")
)

// ProblemTypeBase prefixes the problem type URL of each policy refusal.
const ProblemTypeBase = "https://kakunin.dev/problems/issuance#"

// PolicyError is a refusal by the issuance policy: Err is one of the policy sentinels and
// Detail says which subject, action or bound was refused.
type PolicyError struct {
	Err    error
	Detail string
}

func (e *PolicyError) Error() string { return fmt.Sprintf("%v: %s", e.Err, e.Detail) }

// Unwrap returns the policy sentinel.
func (e *PolicyError) Unwrap() error { return e.Err }

// Reason returns the short name of the refusal, which also ends its problem type URL:
// SUBJECT_UNRESOLVABLE, SUBJECT_DEACTIVATED, NO_VALID_CERTIFICATE, NOT_AUTHORIZED,
// SCOPE_EXCEEDED or VALIDITY_EXCEEDED.
func (e *PolicyError) Reason() string {
	for _, r := range reasons {
		if errors.Is(e.Err, r.err) {
			return r.name
		}
	}
	return "POLICY"
}

// Problem returns the RFC 9457 object of the refusal: 403 when the caller is not authorised,
// 422 otherwise (the request is well formed but the policy refuses it).
func (e *PolicyError) Problem() vc.Problem {
	status := http.StatusUnprocessableEntity
	if errors.Is(e.Err, ErrNotAuthorized) {
		status = http.StatusForbidden
	}
	return vc.Problem{Type: ProblemTypeBase + e.Reason(), Title: e.Err.Error(), Detail: e.Detail, Status: status}
}

var reasons = []struct {
	err  error
	name string
}{
	{ErrSubjectUnresolvable, "SUBJECT_UNRESOLVABLE"},
	{ErrSubjectDeactivated, "SUBJECT_DEACTIVATED"},
	{ErrNoValidCertificate, "NO_VALID_CERTIFICATE"},
	{ErrNotAuthorized, "NOT_AUTHORIZED"},
	{ErrScopeExceeded, "SCOPE_EXCEEDED"},
	{ErrValidityExceeded, "VALIDITY_EXCEEDED"},
}

func refuse(err error, format string, args ...any) error {
	return &PolicyError{Err: err, Detail: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRequest, fmt.Sprintf(format, args...))
}
