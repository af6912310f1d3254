package store

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Bounds of credential records.
const (
	MaxCredentialLen    = 256 << 10 // the issued credential, as served
	MaxCredentialTypes  = 16
	MaxCredentialStatus = 8 // status entries of one credential
	// MaxCredentialSubjects bounds the subject DIDs a credential is filed under.
	MaxCredentialSubjects = 16
)

// Credential is an issued verifiable credential, kept whole so that it can be
// served again, with what the registry needs to find it.
type Credential struct {
	ID         string   // the record id chosen by the issuer (at most MaxIDLen bytes)
	InstanceID string   // the issuer instance that signed it
	TenantID   string   // the tenant that asked for it (may be empty)
	SubjectDID string   // credentialSubject.id: the agent (the first subject's), for display
	Types      []string // the credential's types, in document order
	// Subjects are the DIDs of the credential's subjects (at most
	// MaxCredentialSubjects; SubjectDID may be among them). The registry files
	// the credential under each of them and SubjectDID; reads return AllSubjects.
	Subjects []string
	// Status lists the credential's status entries. PutCredential binds each,
	// which AllocateStatusIndex must have given out in the same transaction,
	// or ReserveStatusIndexes in this or an earlier one;
	// reads return them ordered by purpose, with URL and StatusSize filled in.
	Status     []StatusEntry
	Issued     time.Time
	ValidUntil time.Time // zero when the credential has no validUntil
	Data       []byte    // the credential as issued (JSON, or a vc+jwt)
	// Generations are the fence generations of the credential's subjects
	// (CredentialReader.SubjectGenerations), read before the issuer checked
	// them: PutCredential and HoldCredential refuse the credential, with
	// ErrSubjectChanged, when the fence of one of AllSubjects has moved since.
	// A DID absent is at generation 0, that of a fence never raised. At most
	// MaxCredentialSubjects+1 entries; not stored, so reads leave it nil.
	Generations map[string]int64
}

// CredentialReader finds issued credentials. The Reader of both backends
// implements it.
type CredentialReader interface {
	// Credential returns the credential with this record id, or ErrNotFound.
	Credential(ctx context.Context, id string) (Credential, error)
	// CredentialsBySubject returns every credential issued to did, as SubjectDID
	// or one of its Subjects, once each, oldest first (to suspend the credentials
	// of an agent whose certificate is revoked).
	CredentialsBySubject(ctx context.Context, did string) ([]Credential, error)
	// SubjectGenerations returns the fence generation of each of dids (at most
	// MaxCredentialSubjects+1, else ErrInvalid) that was ever raised; a DID
	// absent is at generation 0. An issuer reads them before it checks the
	// subjects, and records them in Credential.Generations.
	SubjectGenerations(ctx context.Context, dids []string) (map[string]int64, error)
}

// CredentialTx records issued credentials. The Tx of both backends implements
// it, and the allocation of a credential's status indexes; an issuer calls, in
// one DB.Tx:
//
//	ct := tx.(store.CredentialTx)
//	e, err := ct.AllocateStatusIndex(ctx, spec, rand.Reader) // for each purpose
//	// … build and sign the credential with e.URL and e.Index …
//	err = ct.PutCredential(ctx, store.Credential{…, Status: []store.StatusEntry{e}})
//
// so that a crash leaves either both or neither. Signing happens inside the
// transaction and may run more than once (see DB.Tx).
//
// An issuer that signs outside transactions reserves indexes in blocks with
// ReserveStatusIndexes, signs with one of them, and binds it with
// HoldCredential in the one transaction that records the credential; a crash
// then leaves a reserved index either bound to its stored credential or
// unbound, in no credential.
type CredentialTx interface {
	CredentialReader
	StatusTx
	// PutCredential records c and binds its status entries to it. ErrConflict
	// when the id is taken or an entry is bound to another credential;
	// ErrNotFound when an entry was not allocated.
	PutCredential(ctx context.Context, c Credential) error
	// HoldCredential is PutCredential written later: it checks c's bounds at
	// once (ErrInvalid), and the record and its bindings are written together
	// with those held by the other functions of the group-committed
	// transaction, in a few statements, before the transaction commits or
	// anything in it reads credentials. The conflicts PutCredential reports
	// (ErrConflict, ErrNotFound, ErrSubjectChanged) are then returned by DB.Tx
	// to the caller whose function held c, and to no other; the function cannot
	// act on them.
	HoldCredential(ctx context.Context, c Credential) error
	// FenceSubject records that the state of did changed (a certificate of the
	// agent revoked, the DID deactivated): it moves did's fence to its next
	// generation, so that from then on PutCredential and HoldCredential refuse,
	// with ErrSubjectChanged, a credential filed under did whose Generations
	// record another one: one whose subjects the issuer checked before the
	// change. No clock is compared, so replicas whose clocks disagree fence each
	// other's issuances alike. at, this process's time of the change, is kept
	// for operators, and never moves back. Call it first in the
	// transaction that then reads did's credentials to change their status: on a
	// server database it locks did's fence, and the writes of credentials filed
	// under did lock it too, so a concurrent issuance either commits before
	// that read (which finds its credential) or is refused.
	FenceSubject(ctx context.Context, did string, at time.Time) error
}

// AllSubjects returns the DIDs the registry files c under: Subjects, and
// SubjectDID when it is a DID (for a credential without a DID subject it is the
// credential's own id, which is neither filed nor fenced), sorted, each once.
func (c Credential) AllSubjects() []string {
	out := slices.Clone(c.Subjects)
	if strings.HasPrefix(c.SubjectDID, "did:") {
		out = append(out, c.SubjectDID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Validate checks the bounds of a credential record before it is stored.
func (c Credential) Validate() error {
	err := first(
		checkText("credential id", c.ID, MaxIDLen, true),
		checkText("instance id", c.InstanceID, MaxIDLen, true),
		checkText("tenant id", c.TenantID, MaxIDLen, false),
		checkText("subject DID", c.SubjectDID, MaxDIDLen, true),
		checkBytes("credential", c.Data, MaxCredentialLen),
		checkTime("issued", c.Issued),
	)
	switch {
	case err != nil:
		return err
	case len(c.Types) == 0 || len(c.Types) > MaxCredentialTypes:
		return &FieldError{"credential types", "none, or too many"}
	case len(c.Status) > MaxCredentialStatus:
		return &FieldError{"credential status", "too many entries"}
	case len(c.Subjects) > MaxCredentialSubjects:
		return &FieldError{"credential subjects", "too many"}
	case len(c.Generations) > MaxCredentialSubjects+1:
		return &FieldError{"subject generations", "too many"}
	case !c.ValidUntil.IsZero():
		// A credential may be issued already expired: VC Data Model 2.0 § 4.9, validUntil
		// "could be a date and time in the past or in the future".
		err = checkTime("validUntil", c.ValidUntil)
	}
	for _, t := range c.Types {
		err = first(err, checkText("credential type", t, MaxIDLen, true))
	}
	for _, d := range c.Subjects {
		err = first(err, checkText("subject DID", d, MaxDIDLen, true))
	}
	for d, g := range c.Generations {
		err = first(err, checkText("subject DID", d, MaxDIDLen, true))
		if g < 0 {
			err = first(err, &FieldError{"subject generation", "negative"})
		}
	}
	for _, e := range c.Status {
		err = first(err, checkText("status list id", e.ListID, MaxIDLen, true))
		if e.Index < 0 {
			err = first(err, &FieldError{"status list index", "negative"})
		}
	}
	return err
}

// CheckFence checks the arguments of CredentialTx.FenceSubject.
func CheckFence(did string, at time.Time) error {
	return first(checkText("subject DID", did, MaxDIDLen, true), checkTime("fence time", at))
}
