package store

import (
	"math/big"
	"time"
)

// Owner is an owner CA: the X.509 CA whose public key is the owner key named in
// did:kakunin identifiers.
type Owner struct {
	ID       string    // stable identifier chosen by the caller (at most MaxIDLen bytes)
	OwnerKey string    // the CA's public key in Multikey form ("z6Mk…", "zDn…", …)
	CertDER  []byte    // the CA certificate
	TenantID string    // the tenant that controls this owner (may be empty)
	Created  time.Time // when the owner was recorded
}

// CertState is the revocation state of a certificate.
type CertState string

// Certificate states.
const (
	CertGood    CertState = "good"
	CertRevoked CertState = "revoked"
)

// Certificate is an agent certificate recorded in the registry.
type Certificate struct {
	IssuerID  string   // the Owner that issued it
	Serial    *big.Int // positive, at most 20 octets (RFC 5280 §4.1.2.2)
	DID       string   // the DID in its SAN URI
	DER       []byte
	NotBefore time.Time
	NotAfter  time.Time
	State     CertState
	RevokedAt time.Time        // zero unless State is CertRevoked
	Reason    RevocationReason // meaningful only when State is CertRevoked
}

// RevocationReason is an RFC 5280 §5.3.1 CRLReason code.
type RevocationReason int

// The CRLReason values of RFC 5280 §5.3.1. Value 7 is not used and removeFromCRL (8)
// only appears in delta CRLs; neither is a reason to revoke, so the store refuses them.
const (
	ReasonUnspecified          RevocationReason = 0
	ReasonKeyCompromise        RevocationReason = 1
	ReasonCACompromise         RevocationReason = 2
	ReasonAffiliationChanged   RevocationReason = 3
	ReasonSuperseded           RevocationReason = 4
	ReasonCessationOfOperation RevocationReason = 5
	ReasonCertificateHold      RevocationReason = 6
	ReasonPrivilegeWithdrawn   RevocationReason = 9
	ReasonAACompromise         RevocationReason = 10
)

// Valid reports whether r is a CRLReason that a certificate can be revoked with.
func (r RevocationReason) Valid() bool {
	return r >= ReasonUnspecified && r <= ReasonCertificateHold ||
		r == ReasonPrivilegeWithdrawn || r == ReasonAACompromise
}

// EventKind names a change in the history of a DID.
type EventKind string

// Event kinds. Every kind but EventDeactivated and EventLinked (see link.go)
// refers to a certificate.
const (
	EventIssued      EventKind = "issued"      // the CA issued a certificate for the DID
	EventRenewed     EventKind = "renewed"     // the CA issued a replacement certificate
	EventRevoked     EventKind = "revoked"     // a certificate of the DID was revoked
	EventPublished   EventKind = "published"   // a party published a chain for the DID
	EventDeactivated EventKind = "deactivated" // the owner deactivated the DID (see Tx.Deactivate)
)

// Event is one version in the history of a DID; DID documents of earlier versions
// are derived from the events up to that version.
//
// AppendEvent assigns VersionID (1, 2, 3, … per DID, without gaps). Time is the
// versionTime; if it is earlier than the previous version's time it is raised to
// that time, so that versions ordered by VersionID are also ordered by Time and a
// versionTime query has one answer. The certificate (IssuerID, Serial) must be
// recorded with the same DID. Appending EventIssued, EventRenewed or EventPublished
// to a deactivated DID fails with ErrDeactivated.
type Event struct {
	DID       string
	VersionID int64
	Kind      EventKind
	Time      time.Time
	IssuerID  string   // the certificate's issuer (empty for EventDeactivated and EventLinked)
	Serial    *big.Int // the certificate's serial (nil for EventDeactivated and EventLinked)
}

// DIDState is the current state of a DID that has a history.
type DIDState struct {
	DID           string
	Version       int64     // the latest VersionID
	Created       time.Time // Time of version 1
	Updated       time.Time // Time of the latest version
	Deactivated   bool
	DeactivatedAt time.Time // zero unless Deactivated
}

// CRL is the latest certificate revocation list of an issuing CA.
type CRL struct {
	IssuerID   string
	Number     int64 // the cRLNumber (RFC 5280 §5.2.3), strictly increasing per issuer
	ThisUpdate time.Time
	NextUpdate time.Time
	DER        []byte
}
