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
// issuance policy, takes a revocation and a suspension entry among those the instance
// reserved, signs, and records the credential (binding its entries) and a vc.issued audit
// entry in one store transaction. Entries of an issuance that fails before its transaction
// are handed out again; those of one whose transaction failed (or whose commit is uncertain)
// never are: the ones left unbound are released to their lists.
//
// Errors: a [*PolicyError] (errors.Is ErrSubjectUnresolvable, ErrSubjectDeactivated,
// ErrNoValidCertificate, ErrNotAuthorized, ErrScopeExceeded, ErrValidityExceeded);
// ErrInvalidRequest, possibly joined with the *vc.Error or signing error that explains it;
// ErrUnknownInstance; ErrConflict when the credential id is taken; ErrIdempotencyKey when
// req.Idempotency's key was recorded first by another transaction; ErrConflict joined with
// store.ErrSubjectChanged when the state of a subject changed (SuspendAllForDID or Fence ran
// for it) after the generations of its fence were read, before the policy check; store errors
// otherwise.
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
	if err := is.checkJSONLD(doc, suite); err != nil {
		return nil, err
	}
	gens, err := is.checkSubjects(ctx, in, cred, req.Caller)
	if err != nil {
		return nil, err
	}
	entries, objs, err := is.takeEntries(ctx, in)
	if err != nil {
		return nil, err
	}
	rec, out, err := is.sign(ctx, in, doc, cred, suite, req, entries, objs, now)
	if err != nil {
		is.giveBack(in, entries)
		return nil, err
	}
	rec.Generations = gens
	if err := is.record(ctx, in, rec, out, req, entries, now); err != nil {
		return nil, err
	}
	return out, nil
}

// record writes a signed credential with recordTx in a group-committed transaction, and
// settles its status entries when that fails.
func (is *Issuer) record(ctx context.Context, in *Instance, rec store.Credential, out *Issued, req IssueRequest,
	entries []store.StatusEntry, now time.Time) error {
	var ran bool
	err := is.cfg.Store.Tx(ctx, func(tx Tx) error {
		ran = true
		return is.recordTx(ctx, tx, in, rec, out, req, now)
	})
	switch {
	case err != nil && !ran:
		is.giveBack(in, entries) // nothing was attempted
	case err != nil:
		// A run was rolled back, or a commit failed and may have happened after all
		// (its functions are then run again, and may fail only because the first run
		// committed): the entries may be bound, so they are not handed out again. Those
		// still unbound are released, so that a refused request (a taken credential id)
		// costs no list capacity.
		is.releaseDropped(entries)
	}
	if err != nil {
		return recordErr(err)
	}
	return nil
}

// checkSubjects bounds the subject DIDs of cred, reads the generations of their fences and
// then applies the issuance policy, and returns the generations, which the record carries:
// a change of a subject's state after the read (SuspendAllForDID, Fence) moves its fence,
// and the store then refuses the record, whatever the clocks of the replicas say.
func (is *Issuer) checkSubjects(ctx context.Context, in *Instance, cred *vc.Credential, by Caller) (map[string]int64, error) {
	dids := subjectDIDs(cred)
	if n := len(dids); n > store.MaxCredentialSubjects {
		return nil, invalid("%d subject DIDs; a credential may have at most %d", n, store.MaxCredentialSubjects)
	}
	gens, err := is.cfg.Store.SubjectGenerations(ctx, dids)
	if err != nil {
		return nil, err
	}
	return gens, is.checkPolicy(ctx, in, cred, by)
}

// recordErr is the error of an issuance whose transaction failed.
func recordErr(err error) error {
	switch {
	case errors.Is(err, ErrIdempotencyKey):
		return err
	case errors.Is(err, store.ErrSubjectChanged):
		// A certificate of a subject was revoked, or the DID deactivated, after the policy
		// check: the cascade that suspends the subject's credentials may not have seen this
		// one, so it is not recorded. Asking again checks the subject anew.
		return fmt.Errorf("%w: a subject changed state during issuance; ask again: %w", ErrConflict, err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: the credential id is taken", ErrConflict)
	}
	return err
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

// sign secures doc with its status entries, outside any transaction, and returns the
// record to store and the answer.
func (is *Issuer) sign(ctx context.Context, in *Instance, doc map[string]any, cred *vc.Credential, suite string,
	req IssueRequest, entries []store.StatusEntry, objs []any, now time.Time) (store.Credential, *Issued, error) {
	final := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		final[k] = v
	}
	final["credentialStatus"] = objs
	vcBody, data, err := is.secure(ctx, in, final, suite, now)
	if err != nil {
		return store.Credential{}, nil, err
	}
	rec := store.Credential{
		ID: cred.ID(), InstanceID: in.Name, TenantID: req.Caller.Tenant, SubjectDID: subjectOf(cred),
		Subjects: subjectDIDs(cred), Types: cred.Types(), Status: entries, Issued: now, Data: data,
	}
	rec.ValidUntil, _ = cred.ValidUntil()
	if req.CredentialID != "" {
		rec.ID = req.CredentialID
	}
	return rec, &Issued{ID: rec.ID, VerifiableCredential: vcBody, Status: entries}, nil
}

// recordTx records a signed credential, binding its reserved entries, with its vc.issued
// audit entry and the idempotency record. The record is held and written with the others
// of the group-committed transaction.
func (is *Issuer) recordTx(ctx context.Context, tx Tx, in *Instance, rec store.Credential, out *Issued,
	req IssueRequest, now time.Time) error {
	if err := tx.HoldCredential(ctx, rec); err != nil {
		return err
	}
	e := is.entry(audit.CredentialIssued, req.Caller, in, rec.SubjectDID, rec.Data, now)
	if _, err := audit.Append(ctx, tx, e); err != nil {
		return err
	}
	return recordIdempotent(ctx, tx, req.Idempotency, out, now)
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

// subjectOf is the subject the registry shows the credential under: the first subject's id,
// or the credential's own id when no subject has one.
func subjectOf(c *vc.Credential) string {
	for _, s := range c.Subjects() {
		if id, _ := s["id"].(string); id != "" {
			return id
		}
	}
	return c.ID()
}

// subjectDIDs returns the ids of the credential's subjects that are DIDs, each once: the
// registry files the credential under each, so that SuspendAllForDID finds it whichever
// subject the agent is, and the subjects' fences guard its recording.
func subjectDIDs(c *vc.Credential) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range c.Subjects() {
		if id, _ := s["id"].(string); strings.HasPrefix(id, "did:") && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
