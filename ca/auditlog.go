package ca

import (
	"context"
	"crypto/x509"
	"errors"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/store"
)

// Actors logged when a request names none.
const (
	// ActorSystem is the actor of owner changes made by the operator's own tools
	// (kakunin owner init / import) when OwnerRequest.Actor is empty.
	ActorSystem = "system"
	// ActorAnonymous is the actor of a request that names neither an actor nor a
	// tenant (a publication, an enrolment under an owner open to every tenant).
	ActorAnonymous = "anonymous"
)

// who acted, and for which tenant, as the audit log records it.
type who struct{ actor, tenant string }

// by is who acts on o: the actor (else the requesting tenant, else
// ActorAnonymous) for o's tenant (else the requesting tenant, else the owner id,
// so that entries of an owner open to every tenant still name whose they are).
func (o *owner) by(actor, tenant string) who {
	return who{actor: firstOf(actor, tenant, ActorAnonymous), tenant: firstOf(o.tenant, tenant, o.id)}
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// logEntry appends an entry to the audit log within tx, the transaction of the
// change it records. A store without an audit log fails with store.ErrSchema: this
// CA makes no unlogged change.
func logEntry(ctx context.Context, tx store.Tx, t audit.EventType, w who, subject string, d audit.Digest, now time.Time) error {
	atx, err := store.Audit(tx)
	if err != nil {
		return err
	}
	e := audit.Entry{Type: t, Time: now, Actor: w.actor, Tenant: w.tenant, Subject: subject, Digest: d}
	_, err = audit.Append(ctx, atx, e)
	if errors.Is(err, audit.ErrInvalidEntry) {
		return invalid("actor", "cannot be logged", err)
	}
	return err
}

// RevocationDigest is the digest of a cert.revoked audit entry: the SHA-256 of
// the RFC 8785 canonical JSON
//
//	{"certificate":"sha-256:<hex of the certificate DER>","reason":"<CRLReason name>","revoked":"<RFC 3339 UTC>"}
//
// so that an auditor holding the certificate can check what was revoked, why and
// when.
func RevocationDigest(der []byte, reason Reason, at time.Time) (audit.Digest, error) {
	return eventDigest(map[string]string{
		"certificate": string(audit.SHA256(der)), "reason": ReasonName(reason), "revoked": at.UTC().Format(time.RFC3339Nano),
	})
}

// DeactivationDigest is the digest of a did.deactivated audit entry: the SHA-256
// of the RFC 8785 canonical JSON {"deactivated":"<RFC 3339 UTC>","did":"<DID>"}.
func DeactivationDigest(did string, at time.Time) (audit.Digest, error) {
	return eventDigest(map[string]string{"did": did, "deactivated": at.UTC().Format(time.RFC3339Nano)})
}

func eventDigest(event map[string]string) (audit.Digest, error) {
	data, err := jcs.Marshal(event)
	if err != nil {
		return "", err
	}
	return audit.SHA256(data), nil
}

// ReasonName is the RFC 5280 name of r ("unspecified" for reasons this CA does
// not revoke with).
func ReasonName(r Reason) string {
	if name, ok := reasonNames[r]; ok {
		return name
	}
	return reasonNames[store.ReasonUnspecified]
}

// logCert logs the issuance (or renewal, or publication) of cert.
func logCert(ctx context.Context, tx store.Tx, t audit.EventType, w who, did string, cert *x509.Certificate, now time.Time) error {
	return logEntry(ctx, tx, t, w, did, audit.SHA256(cert.Raw), now)
}

// auditType is the audit event of a certificate event kind.
func auditType(kind store.EventKind) audit.EventType {
	switch kind {
	case store.EventRenewed:
		return audit.CertRenewed
	case store.EventPublished:
		return audit.ChainPublished
	}
	return audit.CertIssued
}
