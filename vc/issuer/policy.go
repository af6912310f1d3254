package issuer

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
)

// checkPolicy applies the issuance policy of design/credentials.md to a prepared credential:
// validity within the instance maximum, every DID subject active (and, for did:kakunin,
// owned by the caller's tenant), and the grants of a scope credential within the instance's
// allowed scopes. Kakunin credential types must also follow their schema.
func (is *Issuer) checkPolicy(ctx context.Context, in *Instance, c *vc.Credential, caller Caller) error {
	if err := checkValidity(in, c, is.now()); err != nil {
		return err
	}
	for _, s := range c.Subjects() {
		if id, _ := s["id"].(string); strings.HasPrefix(id, "did:") {
			err := is.checkSubject(ctx, caller, id)
			if errors.Is(err, ErrSubjectUnresolvable) && in.AllowUnresolvedSubjects && !strings.HasPrefix(id, "did:kakunin:") {
				continue
			}
			if err != nil {
				return err
			}
		}
	}
	return checkClaims(in, c)
}

// checkValidity bounds a credential's validity period by the instance maximum, and its end by
// the maximum from now: a credential valid from a far future date would otherwise outlive
// what the instance allows.
func checkValidity(in *Instance, c *vc.Credential, now time.Time) error {
	from, _ := c.ValidFrom()
	until, ok := c.ValidUntil()
	if !ok {
		return refuse(ErrValidityExceeded, "no validUntil; the instance issues for at most %s", in.MaxValidity)
	}
	if d := until.Sub(from); d > in.MaxValidity {
		return refuse(ErrValidityExceeded, "validity %s exceeds the instance maximum %s", d, in.MaxValidity)
	}
	if d := until.Sub(now); d > in.MaxValidity {
		return refuse(ErrValidityExceeded, "validUntil is %s from now, beyond the instance maximum %s", d, in.MaxValidity)
	}
	return nil
}

// checkSubject resolves a subject DID, bypassing caches so that a revoked certificate or a
// deactivation is seen at once. A DID that cannot be resolved (did.IsUnresolvable: invalid,
// unknown, of an unsupported method) is refused; a failure of the resolution itself (the
// store, a timeout) is returned as is, an internal error: it says nothing about the subject.
func (is *Issuer) checkSubject(ctx context.Context, caller Caller, id string) error {
	res, err := is.cfg.Resolver.Resolve(ctx, id, did.ResolutionOptions{NoCache: true})
	switch {
	case errors.Is(err, did.ErrDeactivated) || res != nil && res.DIDDocumentMetadata.Deactivated:
		return refuse(ErrSubjectDeactivated, "%s", clip(id))
	case did.IsUnresolvable(err):
		return refuse(ErrSubjectUnresolvable, "%s", clip(id))
	case err != nil:
		return fmt.Errorf("issuer: resolving subject %s: %w", clip(id), err)
	case res == nil || res.DIDDocument == nil:
		return fmt.Errorf("issuer: resolving subject %s: the resolver returned no document", clip(id))
	}
	owner, ok := kakuninOwner(id)
	if !ok {
		return nil
	}
	// did:kakunin: the keys of the agent's currently valid certificates are its assertion
	// methods (did.Document.HasAssertionMethod); #owner, always listed, is not one.
	if !res.DIDDocument.HasAssertionMethod() {
		return refuse(ErrNoValidCertificate, "%s lists no assertionMethod (no currently valid certificate)", clip(id))
	}
	if is.cfg.Authorizer == nil {
		return refuse(ErrNotAuthorized, "no authorizer for did:kakunin owners")
	}
	if err := is.cfg.Authorizer.AuthorizeOwner(ctx, caller, owner); err != nil {
		return refuse(ErrNotAuthorized, "caller %q may not issue for owner %s", clip(caller.ID), clip(owner))
	}
	return nil
}

// kakuninOwner returns the owner key of a did:kakunin identifier, whose syntax is
// "did:kakunin:" model-digest ":" prompt-digest ":" owner-key (did-kakunin.md §3), read here
// without importing the method package (vc knows no concrete DID method).
func kakuninOwner(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, "did:kakunin:")
	if !ok {
		return "", false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return "", false
	}
	if _, err := did.DecodeMultikey(parts[2]); err != nil {
		return "", false
	}
	return parts[2], true
}

// checkClaims validates the claims of the kakunin credential types and keeps scope grants
// within the instance's allowed scopes.
func checkClaims(in *Instance, c *vc.Credential) error {
	if c.HasType(spec.ComplianceCredentialType) {
		if _, err := compliance.ParseCompliance(c); err != nil {
			return errors.Join(ErrInvalidRequest, err)
		}
	}
	if !c.HasType(spec.ScopeCredentialType) {
		return nil
	}
	s, err := scope.ParseScope(c)
	if err != nil {
		return errors.Join(ErrInvalidRequest, err)
	}
	for _, g := range s.Grants {
		for _, a := range g.Actions {
			if !in.grants(a) {
				return refuse(ErrScopeExceeded, "action %q is not within the instance's allowed scopes", clip(a.String()))
			}
		}
	}
	return nil
}
