package revocation

import "time"

// Status is a certificate's revocation status.
type Status int

// Statuses. Check returns a nil error only with Good or Revoked.
const (
	Unknown Status = iota
	Good
	Revoked
)

func (s Status) String() string {
	switch s {
	case Good:
		return "good"
	case Revoked:
		return "revoked"
	}
	return "unknown"
}

// Source is what answered.
type Source int

// Sources.
const (
	SourceNone Source = iota
	SourceOCSP
	SourceCRL
)

func (s Source) String() string {
	switch s {
	case SourceOCSP:
		return "OCSP"
	case SourceCRL:
		return "CRL"
	}
	return "none"
}

// Result is a revocation answer and where it came from.
type Result struct {
	Status Status
	Source Source
	// Cached reports that the answer came from the checker's cache of an earlier
	// verified OCSP response or CRL, not from a fetch or the local source.
	Cached bool
	// Reason is the RFC 5280 §5.3.1 CRLReason code when Status is Revoked
	// (0 unspecified, 1 keyCompromise, 2 cACompromise, … 10 aACompromise).
	Reason    int
	RevokedAt time.Time
	// ThisUpdate and NextUpdate are those of the OCSP response or CRL.
	ThisUpdate time.Time
	NextUpdate time.Time
	// Stale reports a CRL used after its NextUpdate, within Options.CRLStaleWindow.
	Stale bool
	// URL is the OCSP responder or CRL distribution point that answered, empty for
	// the local CRL source.
	URL string
}
