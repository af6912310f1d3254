package ca

import (
	"errors"
	"fmt"
)

// Errors callers branch on. Every error of this package wraps one of them (or a
// store sentinel, for failures of the registry itself); test them with errors.Is.
// The HTTP status a front end should answer is given with each.
var (
	// ErrInvalidRequest: the request is malformed: a CSR, DID, digest, serial or
	// chain that does not parse, or a field over its size bound (400).
	ErrInvalidRequest = errors.New("ca: invalid request")
	// ErrProofOfPossession: a CSR signature or a renewal signature does not verify (400).
	ErrProofOfPossession = errors.New("ca: proof of possession failed")
	// ErrPolicy: the request is well formed but the CA's policy refuses it: key type,
	// validity, extra URIs, a certificate past its expiry for renewal (422).
	ErrPolicy = errors.New("ca: refused by policy")
	// ErrForbidden: the tenant may not act for this owner (403).
	ErrForbidden = errors.New("ca: tenant not allowed for this owner")
	// ErrUnknownOwner: no owner CA with this id is loaded (404).
	ErrUnknownOwner = errors.New("ca: unknown owner")
	// ErrNotFound: the certificate or DID is not in the registry (404).
	ErrNotFound = errors.New("ca: not found")
	// ErrDeactivated: the DID is deactivated and accepts no new certificates (409).
	ErrDeactivated = errors.New("ca: DID deactivated")
	// ErrConflict: the change already happened (a certificate already revoked, an
	// owner id already taken) (409).
	ErrConflict = errors.New("ca: conflict")
	// ErrChain: a published chain does not validate as an agent chain of its DID (422).
	ErrChain = errors.New("ca: chain rejected")
	// ErrKeyMismatch: a signer does not hold the key of the owner certificate it is
	// loaded for.
	ErrKeyMismatch = errors.New("ca: signer key differs from the owner certificate key")
)

// RequestError says which field of a request was refused and why. It matches its
// Err sentinel (ErrInvalidRequest, ErrPolicy, ErrProofOfPossession …) and Cause.
type RequestError struct {
	Field  string // the request field, e.g. "csr", "validity"
	Reason string // detail, never key material
	Err    error  // the package sentinel
	Cause  error  // the underlying error, or nil
}

func (e *RequestError) Error() string {
	msg := fmt.Sprintf("%v: %s: %s", e.Err, e.Field, e.Reason)
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the cause.
func (e *RequestError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

func invalid(field, reason string, cause error) error {
	return &RequestError{Field: field, Reason: reason, Err: ErrInvalidRequest, Cause: cause}
}

func refused(field, reason string, cause error) error {
	return &RequestError{Field: field, Reason: reason, Err: ErrPolicy, Cause: cause}
}
