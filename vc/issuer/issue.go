package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// IssueOptions choose how a credential is secured.
type IssueOptions struct {
	// Cryptosuite is a Data Integrity cryptosuite; "" means the instance's default.
	Cryptosuite string
	// Format is "" for an embedded Data Integrity proof, or FormatJWT for a vc+jwt returned
	// as an EnvelopedVerifiableCredential.
	Format string
	// Validity sets validUntil = validFrom + Validity when the credential has no validUntil;
	// zero means the instance's MaxValidity.
	Validity time.Duration
}

// IssueRequest asks an instance to issue a credential.
type IssueRequest struct {
	Instance   string // the instance name; "" is the default instance
	Credential []byte // the unsigned credential, JSON (Data Model 2.0, or 1.1 rewritten as 2.0)
	// CredentialID is the id by which the API refers to the credential (VCALM
	// IssueCredentialOptions.credentialId); "" means the credential's id.
	CredentialID string
	Options      IssueOptions
	Caller       Caller
	// Idempotency, when not nil, records the response in the issuance's transaction.
	Idempotency Idempotency
}

// Issued is an issued credential.
type Issued struct {
	ID string // the credential id, by which its status is changed
	// VerifiableCredential is the secured credential as the VC API returns it: the credential
	// with its proof, or an EnvelopedVerifiableCredential.
	VerifiableCredential json.RawMessage
	Status               []store.StatusEntry // its revocation and suspension entries
}

// Issue issues a credential: it completes it (issuer, id, validFrom, validUntil), applies the
// issuance policy, allocates a revocation and a suspension entry, signs, and records the
// credential and a vc.issued audit entry in one store transaction.
//
// Errors: a [*PolicyError] (errors.Is ErrSubjectUnresolvable, ErrSubjectDeactivated,
// ErrNoValidCertificate, ErrNotAuthorized, ErrScopeExceeded, ErrValidityExceeded);
// ErrInvalidRequest, possibly joined with the *vc.Error or signing error that explains it;
// ErrUnknownInstance; ErrConflict when the credential id is taken; ErrIdempotencyKey when
// req.Idempotency's key was recorded first by another transaction; store errors otherwise.
func (is *Issuer) Issue(ctx context.Context, req IssueRequest) (*Issued, error) {
	in, err := is.Instance(req.Instance)
	if err != nil {
		return nil, err
	}
	suite, err := in.suite(req.Options)
	if err != nil {
		return nil, err
	}
	now := is.now()
	doc, err := is.prepare(in, req.Credential, req.Options.Validity, now)
	if err != nil {
		return nil, err
	}
	cred, _, err := parse(doc)
	if err != nil {
		return nil, err
	}
	if err := is.checkPolicy(ctx, in, cred, req.Caller); err != nil {
		return nil, err
	}
	var out *Issued
	err = is.cfg.Store.Tx(ctx, func(tx Tx) error {
		out = nil
		o, err := is.issueTx(ctx, tx, in, doc, cred, suite, req, now)
		if err == nil {
			err = recordIdempotent(ctx, tx, req.Idempotency, o, now)
		}
		out = o
		return err
	})
	if errors.Is(err, ErrIdempotencyKey) {
		return nil, err
	}
	if errors.Is(err, store.ErrConflict) {
		return nil, fmt.Errorf("%w: the credential id is taken", ErrConflict)
	}
	return out, err
}

// suite returns the securing mechanism asked for: a cryptosuite name, or FormatJWT.
func (in *Instance) suite(o IssueOptions) (string, error) {
	switch o.Format {
	case "":
		if o.Cryptosuite == "" {
			return in.Cryptosuite, nil
		}
		return o.Cryptosuite, nil
	case FormatJWT:
		if o.Cryptosuite != "" {
			return "", invalid("a cryptosuite and the vc+jwt format exclude each other")
		}
		return FormatJWT, nil
	}
	return "", invalid("unknown format %q", clip(o.Format))
}

func (is *Issuer) issueTx(ctx context.Context, tx Tx, in *Instance, doc map[string]any, cred *vc.Credential,
	suite string, req IssueRequest, now time.Time) (*Issued, error) {
	caller := req.Caller
	entries, objs, err := is.allocate(ctx, tx, in, now)
	if err != nil {
		return nil, err
	}
	final := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		final[k] = v
	}
	final["credentialStatus"] = objs
	vcBody, data, err := is.secure(ctx, in, final, suite, now)
	if err != nil {
		return nil, err
	}
	rec := store.Credential{
		ID: cred.ID(), InstanceID: in.Name, TenantID: caller.Tenant, SubjectDID: subjectOf(cred),
		Types: cred.Types(), Status: entries, Issued: now, Data: data,
	}
	rec.ValidUntil, _ = cred.ValidUntil()
	if req.CredentialID != "" {
		rec.ID = req.CredentialID
	}
	if err := tx.PutCredential(ctx, rec); err != nil {
		return nil, err
	}
	if _, err := audit.Append(ctx, tx, is.entry(audit.CredentialIssued, caller, in, rec.SubjectDID, data, now)); err != nil {
		return nil, err
	}
	return &Issued{ID: rec.ID, VerifiableCredential: vcBody, Status: entries}, nil
}

// allocate claims one revocation and one suspension index, at random, in the current lists of
// the instance, and returns them with their credentialStatus objects.
func (is *Issuer) allocate(ctx context.Context, tx Tx, in *Instance, now time.Time) ([]store.StatusEntry, []any, error) {
	var entries []store.StatusEntry
	var objs []any
	for _, p := range []status.Purpose{status.Revocation, status.Suspension} {
		e, err := tx.AllocateStatusIndex(ctx, store.StatusListSpec{
			InstanceID: in.Name, Purpose: p, URLPrefix: is.listPrefix(in, p), Entries: is.cfg.ListEntries, At: now,
		}, is.cfg.Rand)
		if err != nil {
			return nil, nil, fmt.Errorf("issuer: allocate %s index: %w", p, err)
		}
		obj, err := status.Entry{
			ID: fmt.Sprintf("%s#%d", e.URL, e.Index), Purpose: p, Index: e.Index, ListCredential: e.URL,
		}.Object()
		if err != nil {
			return nil, nil, err
		}
		entries, objs = append(entries, e), append(objs, obj)
	}
	return entries, objs, nil
}

func (is *Issuer) listPrefix(in *Instance, p status.Purpose) string {
	return fmt.Sprintf("%s/status/%s/%s/", is.cfg.BaseURL, in.Name, p)
}

func (is *Issuer) entry(t audit.EventType, caller Caller, in *Instance, subject string, data []byte, now time.Time) audit.Entry {
	e := audit.Entry{Type: t, Time: now, Actor: caller.ID, Tenant: caller.Tenant, Digest: audit.SHA256(data)}
	if e.Actor == "" {
		e.Actor = "system"
	}
	if e.Tenant == "" {
		e.Tenant = in.tenant()
	}
	if strings.HasPrefix(subject, "did:") {
		e.Subject = subject
	}
	return e
}

// subjectOf is the subject DID the registry files the credential under: the first subject's
// id, or the credential's own id when no subject has one.
func subjectOf(c *vc.Credential) string {
	for _, s := range c.Subjects() {
		if id, _ := s["id"].(string); id != "" {
			return id
		}
	}
	return c.ID()
}
