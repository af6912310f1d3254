package store

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error from this package and its backends that a caller
// can act on wraps one of them.
var (
	// ErrNotFound: the record, or a record it refers to, does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: the write contradicts what is stored (duplicate key, a state
	// transition that already happened, a CRL number that does not increase).
	ErrConflict = errors.New("store: conflict")
	// ErrSubjectChanged: the state of a subject of a credential changed (see
	// CredentialTx.FenceSubject) after the issuer checked it; the credential is
	// not recorded, and issuing it again checks the subject anew.
	ErrSubjectChanged = errors.New("store: credential subject changed during issuance")
	// ErrDeactivated: the DID is deactivated and accepts no new certificates.
	ErrDeactivated = errors.New("store: DID deactivated")
	// ErrInvalid: the record is malformed or over a size bound.
	ErrInvalid = errors.New("store: invalid record")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store: closed")
	// ErrSchema: the database schema is newer than this program or is damaged.
	ErrSchema = errors.New("store: incompatible schema")
)

// Size bounds of stored fields; longer input is refused with ErrInvalid.
const (
	MaxIDLen     = 256      // owner, issuer and tenant ids
	MaxDIDLen    = 2048     // a DID
	MaxKeyLen    = 2048     // an owner key in Multikey form
	MaxDERLen    = 64 << 10 // a certificate
	MaxCRLLen    = 16 << 20 // a CRL
	MaxSerialLen = 20       // octets of a serial number (RFC 5280 §4.1.2.2)
)

// FieldError is an ErrInvalid with the field that was refused.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("store: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }
