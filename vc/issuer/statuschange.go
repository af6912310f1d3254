package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// Revoke sets the revocation bit of a credential; revocation cannot be undone.
func (is *Issuer) Revoke(ctx context.Context, credentialID string, by Caller) error {
	return is.SetStatus(ctx, credentialID, status.Revocation, true, by)
}

// Suspend sets the suspension bit of a credential.
func (is *Issuer) Suspend(ctx context.Context, credentialID string, by Caller) error {
	return is.SetStatus(ctx, credentialID, status.Suspension, true, by)
}

// Unsuspend clears the suspension bit of a credential.
func (is *Issuer) Unsuspend(ctx context.Context, credentialID string, by Caller) error {
	return is.SetStatus(ctx, credentialID, status.Suspension, false, by)
}

// SetStatus sets (or clears) the entry of purpose of a credential and logs vc.status.changed
// in the same transaction. The caller must act for the tenant that issued it, or be an
// operator. Errors wrap ErrNotFound (no such credential, or no entry of that purpose),
// ErrConflict (clearing a revocation), or are a *PolicyError matching ErrNotAuthorized.
func (is *Issuer) SetStatus(ctx context.Context, credentialID string, purpose status.Purpose, set bool, by Caller) error {
	return is.ChangeStatus(ctx, StatusChange{CredentialID: credentialID, Purpose: purpose, Set: set, Caller: by})
}

// SuspendAllForDID suspends every credential issued to did (as any of its subjects), in one
// transaction, when the agent's certificate is revoked or its DID deactivated; reason is
// recorded in the audit entries' digests. It returns how many credentials it suspended: one
// already suspended or revoked, or expired, is left as it is (CascadePending), without an audit
// entry, so that it may be called on every revocation.
//
// No credential of did escapes it: the transaction first raises did's fence
// (store.CredentialTx.FenceSubject) and then reads did's credentials, so an issuance whose
// policy check passed before the change either committed before that read, and is
// suspended, or is refused (ErrConflict joined with store.ErrSubjectChanged).
func (is *Issuer) SuspendAllForDID(ctx context.Context, did, reason string) (int, error) {
	return is.setAllForDID(ctx, did, status.Suspension, reason)
}

// RevokeAllForDID revokes every credential issued to did, for deployments whose policy
// revokes rather than suspends when an agent's certificate is revoked. It fences did as
// SuspendAllForDID does.
func (is *Issuer) RevokeAllForDID(ctx context.Context, did, reason string) (int, error) {
	return is.setAllForDID(ctx, did, status.Revocation, reason)
}

func (is *Issuer) setAllForDID(ctx context.Context, did string, purpose status.Purpose, reason string) (int, error) {
	by := Caller{ID: "system", Operator: true}
	var n int
	err := is.cfg.Store.Tx(ctx, func(tx Tx) error {
		n = 0
		now := is.now()
		if err := tx.FenceSubject(ctx, did, now); err != nil {
			return err
		}
		recs, err := tx.CredentialsBySubject(ctx, did)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if pending, err := CascadePending(ctx, r, purpose, now, tx.Status); err != nil || !pending {
				if err != nil {
					return err
				}
				continue // already settled, or expired: nothing to change or log
			}
			if err := is.applyStatusTx(ctx, tx, r, did, purpose, true, by, reason); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, mapStoreErr(err)
	}
	return n, nil
}

func (is *Issuer) setStatusTx(ctx context.Context, tx Tx, instance, id string, purpose status.Purpose, set bool, by Caller,
	reason string) error {
	rec, err := tx.Credential(ctx, id)
	if err != nil {
		return err
	}
	// The tenant first: another tenant's caller learns nothing of which instance issued it.
	if !by.Operator && rec.TenantID != by.Tenant {
		return refuse(ErrNotAuthorized, "caller %q did not issue credential %q", clip(by.ID), clip(id))
	}
	if instance != "" && rec.InstanceID != instance {
		return fmt.Errorf("%w: instance %q issued no credential %q", ErrNotFound, clip(instance), clip(id))
	}
	return is.applyStatusTx(ctx, tx, rec, rec.SubjectDID, purpose, set, by, reason)
}

// applyStatusTx sets (or clears) the entry of purpose of rec, read in tx, and logs the change
// under subject: the DID whose change it follows, or the credential's SubjectDID.
func (is *Issuer) applyStatusTx(ctx context.Context, tx Tx, rec store.Credential, subject string,
	purpose status.Purpose, set bool, by Caller, reason string) error {
	i := entryIndex(rec.Status, purpose)
	if i < 0 {
		return fmt.Errorf("%w: credential %q has no %s entry", ErrNotFound, clip(rec.ID), purpose)
	}
	var value uint64
	if set {
		value = 1
	}
	now := is.now()
	e := rec.Status[i]
	if err := tx.SetStatus(ctx, e.ListID, e.Index, value, now); err != nil {
		return err
	}
	in, err := is.Instance(rec.InstanceID)
	if err != nil {
		return err
	}
	change, err := json.Marshal(map[string]any{"credential": rec.ID, "purpose": purpose, "status": value, "reason": reason})
	if err != nil {
		return err
	}
	_, err = audit.Append(ctx, tx, is.entry(audit.StatusChanged, by, in, subject, change, now))
	return err
}

// CascadePending reports whether the cascade of purpose (SuspendAllForDID, RevokeAllForDID) has
// yet to change rec at now: rec is unexpired and none of the entries that settle it is set, as
// read reports them. For suspension that is any entry (a revoked credential needs no
// suspension); for revocation, its revocation entry (a suspended one is revoked all the same).
// The cascade and a reconciliation that decides whether to run it apply this one rule.
func CascadePending(ctx context.Context, rec store.Credential, purpose status.Purpose, now time.Time,
	read func(ctx context.Context, listID string, index int) (uint64, error)) (bool, error) {
	if !rec.ValidUntil.IsZero() && !now.Before(rec.ValidUntil) {
		return false, nil
	}
	settles := 0
	for _, e := range rec.Status {
		if purpose == status.Revocation && e.Purpose != status.Revocation {
			continue
		}
		settles++
		v, err := read(ctx, e.ListID, e.Index)
		if err != nil || v != 0 {
			return false, err
		}
	}
	return settles > 0, nil
}

func entryIndex(entries []store.StatusEntry, p status.Purpose) int {
	for i, e := range entries {
		if e.Purpose == p {
			return i
		}
	}
	return -1
}

func mapStoreErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
