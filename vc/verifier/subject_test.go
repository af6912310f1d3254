package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// TestVerifySubjectState issues to a did:kakunin agent and changes what its DID resolves to:
// a document without a valid certificate fails the subject check as inactive, a DID the
// resolver does not find as unresolvable, and a failure of the resolution itself fails it
// without a verdict about the subject.
func TestVerifySubjectState(t *testing.T) {
	e := newEnv(t)
	agent := e.KakuninAgent(t, "agent-s", false)
	out := e.issue(t, agent, issuer.IssueOptions{})
	tests := []struct {
		name    string
		set     func()
		want    error  // the sentinel, nil for an error of no verdict
		problem string // the end of the problem type
	}{
		{"no valid certificate", func() { e.Resolver.Set(agent, issuertest.NoCertificateDocument(t, agent)) },
			verifier.ErrSubjectInactive, "#SUBJECT_INACTIVE"},
		{"not found", func() { e.Resolver.Fail(agent, fmt.Errorf("%w: %s", did.ErrNotFound, agent)) },
			verifier.ErrSubjectUnresolvable, "#SUBJECT_UNRESOLVABLE"},
		{"store failure", func() { e.Resolver.Fail(agent, errors.New("store: connection refused")) },
			nil, "#VERIFICATION_ERROR"},
		{"timeout", func() { e.Resolver.Fail(agent, fmt.Errorf("%w: %w", did.ErrInternal, context.DeadlineExceeded)) },
			nil, "#VERIFICATION_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.set()
			r, err := e.v.VerifyCredential(context.Background(), out.VerifiableCredential, verifier.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := failed(r)
			if r.Verified || len(got) != 1 || got[verifier.CheckSubject] == nil {
				t.Fatalf("verified %v, failed checks %v; want the subject check alone to fail", r.Verified, got)
			}
			err = got[verifier.CheckSubject]
			var ce *verifier.CheckError
			if tt.want != nil && !errors.Is(err, tt.want) || tt.want == nil && errors.As(err, &ce) {
				t.Errorf("subject check: %v, want %v", err, tt.want)
			}
			if p := verifier.ProblemOf(err); !strings.HasSuffix(p.Type, tt.problem) {
				t.Errorf("problem type %s, want …%s", p.Type, tt.problem)
			}
		})
	}
}
