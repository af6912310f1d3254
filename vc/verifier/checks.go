package verifier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/spec"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
	"github.com/kakunin-dev/kakunin/vc/scope"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// runChecks runs the checks after the proof on a credential that could be read.
func (v *Verifier) runChecks(ctx context.Context, res *Result, run map[string]bool, now time.Time) {
	c := res.Credential
	res.add(CheckValidity, c.CheckValidity(now))
	if run[CheckStatus] && len(c.Status()) > 0 {
		res.add(CheckStatus, v.checkStatus(ctx, c, res))
	}
	if run[CheckSubject] {
		if ran, err := v.checkSubjects(ctx, c); ran {
			res.add(CheckSubject, err)
		}
	}
	if run[CheckSchema] {
		if ran, err := checkSchema(c); ran {
			res.add(CheckSchema, err)
		}
	}
}

// checkStatus runs the Bitstring Status List validate algorithm on every entry; a set
// revocation or suspension entry fails the check.
func (v *Verifier) checkStatus(ctx context.Context, c *vc.Credential, res *Result) error {
	results, err := v.checker.Check(ctx, c)
	entries := c.Status()
	errs := []error{err}
	for _, r := range results {
		sr := StatusResult{Value: r.Status}
		if r.Position < len(entries) {
			sr.Entry = entries[r.Position].Value
		}
		if !r.Valid {
			switch r.Entry.Purpose {
			case status.Revocation:
				sr.Err = fail(ErrRevoked, "status entry %d (%s)", r.Position, clip(r.Entry.ListCredential))
			case status.Suspension:
				sr.Err = fail(ErrSuspended, "status entry %d (%s)", r.Position, clip(r.Entry.ListCredential))
			}
		}
		res.Status = append(res.Status, sr)
		errs = append(errs, sr.Err)
	}
	return errors.Join(errs...)
}

// checkSubjects requires every did:kakunin subject to resolve, not be deactivated and have a
// currently valid certificate (an assertion method: did.Document.HasAssertionMethod). Subjects
// of other methods are not checked: a credential may be about a DID the verifier cannot
// resolve. A failure of the resolution itself (did.IsUnresolvable false: the store, a
// timeout) fails the check with that error, not with a verdict about the subject, as a
// resolution failure in the proof check does; ProblemOf gives it VERIFICATION_ERROR.
func (v *Verifier) checkSubjects(ctx context.Context, c *vc.Credential) (ran bool, err error) {
	for _, s := range c.Subjects() {
		id, _ := s["id"].(string)
		if !strings.HasPrefix(id, "did:kakunin:") {
			continue
		}
		ran = true
		if err := v.checkSubject(ctx, id); err != nil {
			return true, err
		}
	}
	return ran, nil
}

func (v *Verifier) checkSubject(ctx context.Context, id string) error {
	r, err := v.cfg.Resolver.Resolve(ctx, id, did.ResolutionOptions{})
	switch {
	case errors.Is(err, did.ErrDeactivated) || r != nil && r.DIDDocumentMetadata.Deactivated:
		return fail(ErrSubjectDeactivated, "%s", clip(id))
	case did.IsUnresolvable(err):
		return fail(ErrSubjectUnresolvable, "%s", clip(id))
	case err != nil:
		return fmt.Errorf("verifier: resolving subject %s: %w", clip(id), err)
	case r == nil || r.DIDDocument == nil:
		return fmt.Errorf("verifier: resolving subject %s: the resolver returned no document", clip(id))
	case !r.DIDDocument.HasAssertionMethod():
		return fail(ErrSubjectInactive, "%s lists no assertionMethod (no currently valid certificate)", clip(id))
	}
	return nil
}

// checkSchema validates the claims of the kakunin credential types with their readers, which
// implement spec/schemas; other types have no schema check here.
func checkSchema(c *vc.Credential) (ran bool, err error) {
	if c.HasType(spec.ScopeCredentialType) {
		_, err = scope.ParseScope(c)
		ran = true
	}
	if err == nil && c.HasType(spec.ComplianceCredentialType) {
		_, err = compliance.ParseCompliance(c)
		ran = true
	}
	return ran, err
}
