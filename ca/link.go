package ca

import (
	"context"
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

// Link records that r.Successor succeeds r.Predecessor: it signs a
// kakunin.LinkRecord with the predecessor's owner key and, when the successor has
// another owner key, with that one too, then in one transaction records the link
// (a new version of each DID) and a DIDLinked audit entry per DID; afterwards it
// calls Options.OnChange for both. Both owner keys must be held by loaded owners
// that the tenant may act for: a link to or from a DID whose owner key this CA does
// not hold is ErrUnknownOwner. Errors match ErrInvalidRequest (not did:kakunin, a
// DID linked to itself), ErrUnknownOwner, ErrForbidden, ErrNotFound (a DID without
// history), ErrDeactivated, or ErrConflict (the predecessor already has a
// successor, the successor a predecessor, or the link would close a cycle).
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
	l, w, err := ca.signLink(pred, succ, r)
	if err != nil {
		return nil, err
	}
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		got, err := tx.Link(ctx, l)
		if err != nil {
			return err
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

// signLink makes the link record of pred → succ and signs it with the owner keys,
// after checking that the tenant may act for every loaded owner of each key.
func (ca *CA) signLink(pred, succ kakunin.ID, r LinkRequest) (store.Link, who, error) {
	predOwners, err := ca.ownersOf(pred, r.Tenant)
	if err != nil {
		return store.Link{}, who{}, err
	}
	succOwners, err := ca.ownersOf(succ, r.Tenant)
	if err != nil {
		return store.Link{}, who{}, err
	}
	now := ca.opts.Now().UTC()
	rec, err := kakunin.LinkRecord{Predecessor: pred.String(), Successor: succ.String(), Created: now}.Marshal()
	if err != nil {
		return store.Link{}, who{}, err
	}
	l := store.Link{Predecessor: pred.String(), Successor: succ.String(), Record: rec, Time: now}
	if l.Signature, err = kakunin.SignLinkRecord(predOwners[0].signer, rec); err != nil {
		return store.Link{}, who{}, fmt.Errorf("ca: signing link: %w", err)
	}
	if pred.OwnerMultikey() != succ.OwnerMultikey() {
		if l.SuccessorSignature, err = kakunin.SignLinkRecord(succOwners[0].signer, rec); err != nil {
			return store.Link{}, who{}, fmt.Errorf("ca: signing link: %w", err)
		}
	}
	return l, predOwners[0].by(r.Actor, r.Tenant), nil
}

// LinkDigest is the digest of a did.linked audit entry: the SHA-256 of the signed
// link record (the canonical JSON of kakunin.LinkRecord), so that an auditor
// holding the record can check which DIDs were linked and when.
func LinkDigest(record []byte) audit.Digest { return audit.SHA256(record) }
