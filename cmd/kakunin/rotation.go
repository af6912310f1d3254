package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// issuerKeyRecord is what an issuer.key.rotated audit entry digests: the instance and the
// key it signs with from the entry's time on.
type issuerKeyRecord struct {
	Instance           string `json:"instance"`
	DID                string `json:"did"`
	VerificationMethod string `json:"verificationMethod"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// recordIssuerKeys appends an issuer.key.rotated entry (subject: the instance's DID) for
// each instance whose signing key differs from the one the log last recorded for that DID,
// or when none is recorded yet, and returns the names of the instances it recorded. It runs
// in one transaction holding the log's append lock, so replicas starting together record a
// rotation once.
//
// A did:key or did:kakunin instance that goes back to a key it used before under the same
// DID is not recorded again: its last entry already names that key.
func recordIssuerKeys(ctx context.Context, db store.DB, instances []*issuer.Instance, now time.Time) ([]string, error) {
	var recorded []string
	err := db.Tx(ctx, func(tx store.Tx) error {
		recorded = recorded[:0]
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		if _, err := atx.LockTree(ctx); err != nil {
			return fmt.Errorf("audit: lock tree: %w", err)
		}
		for _, in := range instances {
			e, err := keyEntry(in, now)
			if err != nil {
				return err
			}
			last, err := lastKeyDigest(ctx, atx, in.DID)
			if err != nil {
				return err
			}
			if last == e.Digest {
				continue
			}
			if _, err := audit.Append(ctx, atx, e); err != nil {
				return err
			}
			recorded = append(recorded, in.Name)
		}
		return nil
	})
	return recorded, err
}

// keyEntry is the issuer.key.rotated entry of an instance's current key.
func keyEntry(in *issuer.Instance, now time.Time) (audit.Entry, error) {
	mk, err := did.EncodeMultikey(in.Signer.Public())
	if err != nil {
		return audit.Entry{}, fmt.Errorf("issuer %s: %w", in.Name, err)
	}
	data, err := json.Marshal(issuerKeyRecord{Instance: in.Name, DID: in.DID, VerificationMethod: in.VerificationMethod,
		PublicKeyMultibase: mk})
	if err != nil {
		return audit.Entry{}, err
	}
	tenant := in.Tenant
	if tenant == "" {
		tenant = "system"
	}
	return audit.Entry{Type: audit.IssuerKeyRotated, Time: now, Actor: "system", Tenant: tenant, Subject: in.DID,
		Digest: audit.SHA256(data)}, nil
}

// lastKeyDigest returns the digest of the last issuer.key.rotated entry about id, or "".
func lastKeyDigest(ctx context.Context, r audit.Reader, id string) (audit.Digest, error) {
	var last audit.Digest
	for from := uint64(0); ; {
		recs, err := audit.EntriesForDID(ctx, r, id, from, audit.MaxQueryLimit)
		if err != nil {
			return "", err
		}
		for _, rec := range recs {
			if rec.Entry.Type == audit.IssuerKeyRotated {
				last = rec.Entry.Digest
			}
		}
		if len(recs) < audit.MaxQueryLimit {
			return last, nil
		}
		from = recs[len(recs)-1].Index + 1
	}
}
