package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

// issuerKeyRecord is what an issuer.key.rotated audit entry digests: the DID and the key
// it signs with from the entry's time on. It holds what the rotation decision depends on
// and nothing else, so that equal digests mean the same key under the same DID. The
// verification method is left out: a did:kakunin instance picks it at every signature
// (#cert-T-multikey, which each certificate renewal of the same key changes), and for
// did:web and did:key it is a function of the DID and the key. Renewals are audited as
// cert.renewed.
type issuerKeyRecord struct {
	DID                string `json:"did"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// formerKeyRecord is the record of entries appended before issuerKeyRecord: it also named
// the instance and the verification method the instance had at start.
type formerKeyRecord struct {
	Instance           string `json:"instance"`
	DID                string `json:"did"`
	VerificationMethod string `json:"verificationMethod"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// issuerKey is an instance's current key as the audit log records it: the entry to append,
// and the digests that name this key under this DID, of the entry and in the former record.
type issuerKey struct {
	entry audit.Entry
	same  []audit.Digest
}

// recordIssuerKeys appends an issuer.key.rotated entry (subject: the instance's DID) for
// each instance whose public key differs from the one the log last recorded for that DID,
// or when none is recorded yet, and returns the names of the instances it recorded. The
// verification method plays no part: that of a did:kakunin instance changes with every
// renewal of its certificate, the key staying the same. It runs in one transaction holding
// the log's append lock, so replicas starting together record a rotation once.
//
// A did:key or did:kakunin instance that goes back to a key it used before under the same
// DID is not recorded again: its last entry already names that key.
func recordIssuerKeys(ctx context.Context, db store.DB, instances []*issuer.Instance, now time.Time) ([]string, error) {
	current := make([]issuerKey, len(instances))
	for i, in := range instances {
		k, err := currentKey(ctx, db, in, now)
		if err != nil {
			return nil, err
		}
		current[i] = k
	}
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
		for i, in := range instances {
			last, err := lastKeyDigest(ctx, atx, in.DID)
			if err != nil {
				return err
			}
			if slices.Contains(current[i].same, last) {
				continue
			}
			if _, err := audit.Append(ctx, atx, current[i].entry); err != nil {
				return err
			}
			recorded = append(recorded, in.Name)
		}
		return nil
	})
	return recorded, err
}

// currentKey returns the issuer.key.rotated entry of an instance's current key and the
// digests that name that key: the entry's, and those the former record gave it with each
// method the instance may have had at start (formerMethods).
func currentKey(ctx context.Context, r store.Reader, in *issuer.Instance, now time.Time) (issuerKey, error) {
	mk, err := did.EncodeMultikey(in.Signer.Public())
	if err != nil {
		return issuerKey{}, fmt.Errorf("issuer %s: %w", in.Name, err)
	}
	d, err := digestJSON(issuerKeyRecord{DID: in.DID, PublicKeyMultibase: mk})
	if err != nil {
		return issuerKey{}, err
	}
	tenant := in.Tenant
	if tenant == "" {
		tenant = "system"
	}
	k := issuerKey{same: []audit.Digest{d}, entry: audit.Entry{Type: audit.IssuerKeyRotated, Time: now, Actor: "system",
		Tenant: tenant, Subject: in.DID, Digest: d}}
	methods, err := formerMethods(ctx, r, in)
	if err != nil {
		return issuerKey{}, err
	}
	for _, vm := range methods {
		d, err := digestJSON(formerKeyRecord{Instance: in.Name, DID: in.DID, VerificationMethod: vm, PublicKeyMultibase: mk})
		if err != nil {
			return issuerKey{}, err
		}
		k.same = append(k.same, d)
	}
	return k, nil
}

// formerMethods returns the verification methods under which a former record may name the
// instance's current key: its method at start, which is that of a did:web or did:key
// instance; for a did:kakunin instance also both methods (#cert-T, #cert-T-multikey) of
// every certificate the registry holds for the agent, expired ones included, as its
// method at start was one of them.
func formerMethods(ctx context.Context, r store.Reader, in *issuer.Instance) ([]string, error) {
	out := []string{in.VerificationMethod}
	if !strings.HasPrefix(in.DID, "did:kakunin:") {
		return out, nil
	}
	certs, err := r.CertificatesByDID(ctx, in.DID)
	if err != nil {
		return nil, fmt.Errorf("issuer %s: certificates of %s: %w", in.Name, in.DID, err)
	}
	for _, c := range certs {
		// T is the SHA-256 of the certificate's DER (spec §9.1), which Raw holds.
		vm := in.DID + "#cert-" + kakunin.Thumbprint(&x509.Certificate{Raw: c.DER})
		out = append(out, vm, vm+"-multikey")
	}
	return out, nil
}

func digestJSON(v any) (audit.Digest, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return audit.SHA256(data), nil
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
