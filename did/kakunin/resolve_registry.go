package kakunin

import (
	"context"
	"crypto/x509"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

// Registry is the read side of a certificate registry that resolution needs (spec
// §7). The kakunin store satisfies it through a small adapter that copies its
// records into these types; this package does not depend on storage. Methods return
// an empty list, not an error, when there is nothing recorded.
type Registry interface {
	// CertificatesByDID returns every agent certificate recorded for the canonical DID.
	CertificatesByDID(ctx context.Context, did string) ([]RegistryCertificate, error)
	// Events returns the history of the canonical DID in version order (spec §10.3).
	Events(ctx context.Context, did string) ([]RegistryEvent, error)
	// OwnerCertificates returns the DER of the owner CA certificates whose public key
	// is ownerKey (a Multikey, as in the DID), oldest first.
	OwnerCertificates(ctx context.Context, ownerKey string) ([][]byte, error)
}

// RegistryCertificate is an agent certificate as the registry records it.
type RegistryCertificate struct {
	IssuerID string   // the registry's name for the issuing CA
	Serial   *big.Int // with IssuerID, what events refer to
	DER      []byte
	// NotBefore and NotAfter are the certificate's validity, as recorded; resolution
	// uses them to skip certificates that cannot be valid at the resolution time
	// without parsing them.
	NotBefore, NotAfter time.Time
	// Revoked, RevokedAt and Reason are the registry's current revocation record;
	// Reason is the RFC 5280 §5.3.1 CRLReason code.
	Revoked   bool
	RevokedAt time.Time
	Reason    int
	// InvalidityDate is when a compromised key is known or suspected to have been
	// compromised (RFC 5280 §5.3.2); zero means RevokedAt.
	InvalidityDate time.Time
}

// EventKind names a change in the history of a DID; the values are those of the
// kakunin store.
type EventKind string

// Event kinds. All but EventDeactivated and EventLinked (link.go) refer to a
// certificate.
const (
	EventIssued      EventKind = "issued"
	EventRenewed     EventKind = "renewed"
	EventRevoked     EventKind = "revoked"
	EventPublished   EventKind = "published"
	EventDeactivated EventKind = "deactivated"
)

// RegistryEvent is one version of a DID: VersionID counts from 1 without gaps and
// Time does not decrease with it.
type RegistryEvent struct {
	VersionID int64
	Kind      EventKind
	Time      time.Time
	IssuerID  string
	Serial    *big.Int
}

// RevocationChecker answers the revocation status of an agent certificate, hard-fail:
// a nil error only with a verified Good or Revoked answer. *revocation.Checker
// satisfies it.
type RevocationChecker interface {
	Check(ctx context.Context, cert, issuer *x509.Certificate) (revocation.Result, error)
}

var _ RevocationChecker = (*revocation.Checker)(nil)

// reasonKeyCompromise is the CRLReason keyCompromise (RFC 5280 §5.3.1).
const reasonKeyCompromise = 1

// withdrawnAt reports whether c is left out of a past version resolved at time at
// (spec §10.3): a certificate revoked later than at stays, unless it was revoked for
// keyCompromise with an invalidity date (else its revocation time) at or before at,
// because a compromised key is withdrawn retroactively.
func (c RegistryCertificate) withdrawnAt(at time.Time) bool {
	if !c.Revoked || c.Reason != reasonKeyCompromise {
		return false
	}
	since := c.InvalidityDate
	if since.IsZero() {
		since = c.RevokedAt
	}
	return !since.After(at)
}

// recordedValidAt reports whether the recorded validity period contains at; a
// record without one is assumed valid, and the certificate itself is checked later.
func (c RegistryCertificate) recordedValidAt(at time.Time) bool {
	return (c.NotAfter.IsZero() || !c.NotAfter.Before(at)) && (c.NotBefore.IsZero() || !c.NotBefore.After(at))
}
