package store

import "time"

// EventLinked is the version a predecessor/successor link adds to each of the two
// DIDs it links (see Tx.Link).
const EventLinked EventKind = "linked"

// Size bounds of a link record.
const (
	MaxLinkRecordLen    = 8 << 10 // the signed record
	MaxLinkSignatureLen = 1 << 10 // one signature (RSA-8192 is 1,024 octets)
)

// Link records that Successor succeeds Predecessor (did:kakunin spec §7.3): Record
// is the statement the owner signed, Signature its signature by the predecessor's
// owner key and SuccessorSignature, when the successor has another owner key, by
// that one (empty otherwise). The store keeps them as given; resolution verifies
// them.
type Link struct {
	Predecessor        string
	Successor          string
	PredecessorVersion int64 // assigned by Tx.Link: the version it added to Predecessor
	SuccessorVersion   int64 // assigned by Tx.Link: the version it added to Successor
	Record             []byte
	Signature          []byte
	SuccessorSignature []byte
	Time               time.Time
}

// Validate checks the bounds of a link before it is recorded.
func (l Link) Validate() error {
	if l.Predecessor == l.Successor {
		return &FieldError{"link", "a DID cannot succeed itself"}
	}
	var second error
	if len(l.SuccessorSignature) > 0 {
		second = checkBytes("successor link signature", l.SuccessorSignature, MaxLinkSignatureLen)
	}
	return first(
		checkText("predecessor DID", l.Predecessor, MaxDIDLen, true),
		checkText("successor DID", l.Successor, MaxDIDLen, true),
		checkBytes("link record", l.Record, MaxLinkRecordLen),
		checkBytes("link signature", l.Signature, MaxLinkSignatureLen),
		second,
		checkTime("link time", l.Time),
	)
}
