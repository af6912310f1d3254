package ca

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// DIDLinked is the audit event of a predecessor/successor link, logged once for
// each of the two DIDs (the entry's subject); its digest is LinkDigest.
const DIDLinked audit.EventType = "did.linked"

// LinkRequest links a DID to its successor (did:kakunin spec §7.3).
type LinkRequest struct {
	Predecessor string // the old DID
	Successor   string // the new DID
	Tenant      string // the requesting tenant
	Actor       string // who asks, for the audit log; empty means Tenant
}

// Linked is a recorded link: the versions it added to each DID.
type Linked struct {
	Predecessor, Successor               string
	PredecessorVersion, SuccessorVersion int64
	Record                               []byte // the signed kakunin.LinkRecord
	Time                                 time.Time
}

// linkAttempts bounds the tries of Link when versions are added to the DIDs
// between reading their times and recording the link.
const linkAttempts = 3

// errLinkTimeMoved: the store gave the link a later time than the signed record's
// created, because a version was added to one of the DIDs meanwhile.
var errLinkTimeMoved = errors.New("ca: a DID changed while it was being linked")

// Link records that r.Successor succeeds r.Predecessor: it signs a
// kakunin.LinkRecord with the predecessor's owner key and, when the successor has
// another owner key, with that one too, then in one transaction records the link
// (a new version of each DID) and a DIDLinked audit entry per DID; afterwards it
// calls Options.OnChange for both. The record's created, the two versions and the
// audit entries have one time: the CA's clock, or the latest version of either
// DID when that is later (the store keeps versions in order). Both owner keys must
// be held by loaded owners that the tenant may act for: a link to or from a DID
// whose owner key this CA does not hold is ErrUnknownOwner. Errors match
// ErrInvalidRequest (not did:kakunin, a DID linked to itself), ErrUnknownOwner,
// ErrForbidden, ErrNotFound (a DID without history), ErrDeactivated, or
// ErrConflict (the predecessor already has a successor, the successor a
// predecessor, the link would close a cycle, or the DIDs kept changing while
// being linked).
func (ca *CA) Link(ctx context.Context, r LinkRequest) (*Linked, error) {
	pred, err := kakunin.Parse(r.Predecessor)
	if err != nil {
		return nil, invalid("predecessor", "not a did:kakunin", err)
	}
	succ, err := kakunin.Parse(r.Successor)
	if err != nil {
		return nil, invalid("successor", "not a did:kakunin", err)
	}
	if pred.Equal(succ) {
		return nil, invalid("successor", "a DID cannot succeed itself", nil)
	}
	for range linkAttempts {
		l, err := ca.tryLink(ctx, pred, succ, r)
		if !errors.Is(err, errLinkTimeMoved) {
			return l, err
		}
	}
	return nil, fmt.Errorf("%w: %w", ErrConflict, errLinkTimeMoved)
}

// tryLink signs the link record at the time the link's versions will have and
// records it; errLinkTimeMoved when the store moved that time.
func (ca *CA) tryLink(ctx context.Context, pred, succ kakunin.ID, r LinkRequest) (*Linked, error) {
	signers, w, err := ca.linkSigners(pred, succ, r)
	if err != nil {
		return nil, err
	}
	at, err := ca.linkTime(ctx, pred, succ)
	if err != nil {
		return nil, err
	}
	l, err := signLink(pred, succ, signers, at)
	if err != nil {
		return nil, err
	}
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		got, err := tx.Link(ctx, l)
		if err != nil {
			return err
		}
		if !got.Time.Equal(l.Time) {
			return errLinkTimeMoved // roll back: the record would say another time
		}
		d := LinkDigest(l.Record)
		for _, subject := range []string{l.Predecessor, l.Successor} {
			if err := logEntry(ctx, tx, DIDLinked, w, subject, d, got.Time); err != nil {
				return err
			}
		}
		l = got
		return nil
	})
	if err != nil {
		return nil, mapStore(err)
	}
	ca.changed(ctx, l.Predecessor, l.Successor)
	return &Linked{Predecessor: l.Predecessor, Successor: l.Successor, PredecessorVersion: l.PredecessorVersion,
		SuccessorVersion: l.SuccessorVersion, Record: l.Record, Time: l.Time}, nil
}

// linkTime is the time the store will give the link's versions: the CA's clock at
// the store's precision (microseconds), or the latest version of either DID when
// that is later. A DID without history is left to the store to refuse.
func (ca *CA) linkTime(ctx context.Context, ids ...kakunin.ID) (time.Time, error) {
	at := ca.opts.Now().UTC().Truncate(time.Microsecond)
	for _, id := range ids {
		s, err := ca.db.DID(ctx, id.String())
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return time.Time{}, fmt.Errorf("ca: reading %s: %w", id, err)
		case s.Updated.After(at):
			at = s.Updated.UTC()
		}
	}
	return at, nil
}

// linkSigners checks that the tenant may act for every loaded owner of each
// owner key and returns the signer of the predecessor's key, then of the
// successor's when it is another key, and the audit actor.
func (ca *CA) linkSigners(pred, succ kakunin.ID, r LinkRequest) ([]crypto.Signer, who, error) {
	predOwners, err := ca.ownersOf(pred, r.Tenant)
	if err != nil {
		return nil, who{}, err
	}
	succOwners, err := ca.ownersOf(succ, r.Tenant)
	if err != nil {
		return nil, who{}, err
	}
	signers := []crypto.Signer{predOwners[0].signer}
	if pred.OwnerMultikey() != succ.OwnerMultikey() {
		signers = append(signers, succOwners[0].signer)
	}
	return signers, predOwners[0].by(r.Actor, r.Tenant), nil
}

// signLink makes the link record of pred → succ created at at and signs it with
// signers (the predecessor's owner key, then the successor's if another).
func signLink(pred, succ kakunin.ID, signers []crypto.Signer, at time.Time) (store.Link, error) {
	rec, err := kakunin.LinkRecord{Predecessor: pred.String(), Successor: succ.String(), Created: at}.Marshal()
	if err != nil {
		return store.Link{}, err
	}
	l := store.Link{Predecessor: pred.String(), Successor: succ.String(), Record: rec, Time: at}
	sigs := make([][]byte, len(signers))
	for i, s := range signers {
		if sigs[i], err = kakunin.SignLinkRecord(s, rec); err != nil {
			return store.Link{}, fmt.Errorf("ca: signing link: %w", err)
		}
	}
	l.Signature = sigs[0]
	if len(sigs) > 1 {
		l.SuccessorSignature = sigs[1]
	}
	return l, nil
}

// LinkDigest is the digest of a did.linked audit entry: the SHA-256 of the signed
// link record (the canonical JSON of kakunin.LinkRecord), so that an auditor
// holding the record can check which DIDs were linked and when.
func LinkDigest(record []byte) audit.Digest { return audit.SHA256(record) }
