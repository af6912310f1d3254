package status

import (
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestErrorTypes(t *testing.T) {
	tests := []struct {
		typ      ProblemType
		sentinel error
		url      string
		status   int
	}{
		{RetrievalError, ErrRetrieval, "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR", 502},
		{VerificationError, ErrVerification, "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR", 422},
		{ListLengthError, ErrListLength, "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR", 422},
		{MalformedValueError, vc.ErrMalformedValue, "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR", 422},
		{RangeError, vc.ErrRange, "https://www.w3.org/TR/vc-data-model#RANGE_ERROR", 422},
	}
	cause := errors.New("connection refused")
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			e := &Error{Type: tt.typ, Path: "/credentialStatus/2", Detail: "while checking", Err: cause}
			if !errors.Is(e, tt.sentinel) || !errors.Is(e, cause) {
				t.Fatalf("%v does not match its sentinel and cause", e)
			}
			for _, other := range []error{ErrRetrieval, ErrVerification, ErrListLength, vc.ErrMalformedValue, vc.ErrRange} {
				if other != tt.sentinel && errors.Is(e, other) {
					t.Fatalf("%v also matches %v", e, other)
				}
			}
			p := e.Problem()
			if p.Type != tt.url || p.Status != tt.status || p.Title == "" || p.Pointer != "/credentialStatus/2" || p.Detail != "while checking: connection refused" {
				t.Fatalf("problem %+v", p)
			}
			msg := e.Error()
			if !strings.HasPrefix(msg, tt.sentinel.Error()+" at /credentialStatus/2: while checking") || !strings.HasSuffix(msg, "connection refused") {
				t.Fatalf("Error() = %q", msg)
			}
		})
	}
}

// TestErrorTextSkipsRestatedCause: a finer sentinel is not repeated after a Detail that says it.
func TestErrorTextSkipsRestatedCause(t *testing.T) {
	e := newError(VerificationError, "", ErrPurposeMismatch, "the list is for suspension")
	if got := e.Error(); got != "status: status verification error: the list is for suspension" {
		t.Fatalf("Error() = %q", got)
	}
	if got := newError(VerificationError, "", ErrPurposeMismatch, "").Error(); !strings.HasSuffix(got, ErrPurposeMismatch.Error()) {
		t.Fatalf("Error() without detail = %q", got)
	}
}
