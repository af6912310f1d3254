package kakunin

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/kakunin-dev/kakunin/did"
)

// Identifier errors. Every error Parse returns is an *IDError that matches both
// ErrInvalidID and did.ErrInvalidDID (so a resolver reports invalidDid).
var (
	ErrInvalidID = errors.New("kakunin: invalid did:kakunin identifier")
	// ErrUnsupportedOwnerKey: the owner key is well formed but of a type that cannot
	// anchor an X.509 chain (secp256k1 among them).
	ErrUnsupportedOwnerKey = errors.New("kakunin: unsupported owner key type")
)

// IDError says which part of a did:kakunin identifier was rejected and why.
type IDError struct {
	Input  string // the input, truncated to 80 bytes
	Part   string // "method", "model-digest", "prompt-digest", "owner-key" or "syntax"
	Reason string
	Err    error // an extra sentinel (ErrUnsupportedOwnerKey, did.ErrUnsupportedKey) or nil
}

func (e *IDError) Error() string {
	return fmt.Sprintf("kakunin: invalid did:kakunin %s: %s: %s", strconv.Quote(e.Input), e.Part, e.Reason)
}

// Unwrap lets errors.Is match ErrInvalidID, did.ErrInvalidDID and the extra sentinel.
func (e *IDError) Unwrap() []error {
	errs := []error{ErrInvalidID, did.ErrInvalidDID}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func idError(input, part, reason string, err error) *IDError {
	if len(input) > 80 {
		input = input[:80] + "…"
	}
	return &IDError{Input: input, Part: part, Reason: reason, Err: err}
}

// Chain errors. VerifyChain wraps exactly one of these (or one of the profile
// sentinels below) in a *ChainError.
var (
	ErrInvalidOptions     = errors.New("kakunin: invalid verify options")
	ErrEmptyChain         = errors.New("kakunin: empty certificate chain")
	ErrChainTooLong       = errors.New("kakunin: certificate chain too long")
	ErrOwnerKeyNotInChain = errors.New("kakunin: no certificate in the chain holds the DID's owner key")
	ErrExpired            = errors.New("kakunin: certificate expired")
	ErrNotYetValid        = errors.New("kakunin: certificate not yet valid")
	ErrUntrusted          = errors.New("kakunin: certificate not signed by its issuer in the chain")
	ErrNameConstraints    = errors.New("kakunin: name constraints violated")
	ErrPathLength         = errors.New("kakunin: path length constraint violated")
	ErrPolicyConstraints  = errors.New("kakunin: certificate policy constraints violated")
	ErrChainMismatch      = errors.New("kakunin: verified chain differs from the supplied chain")
	ErrNotCA              = errors.New("kakunin: issuing certificate is not a conforming CA certificate")
	ErrTrustRoot          = errors.New("kakunin: owner CA does not chain to a configured trust root")
	ErrSignatureAlgorithm = errors.New("kakunin: signature algorithm not allowed")
)

// Agent-certificate profile errors. Each matches ErrProfile as well as itself.
var (
	ErrProfile           = errors.New("kakunin: agent certificate profile violated")
	ErrSANMissing        = errors.New("kakunin: no did:kakunin URI in subjectAltName")
	ErrSANMismatch       = errors.New("kakunin: subjectAltName DID differs from the DID")
	ErrSANDuplicate      = errors.New("kakunin: more than one did:kakunin URI in subjectAltName")
	ErrNotEndEntity      = errors.New("kakunin: agent certificate is not an end-entity certificate")
	ErrKeyUsage          = errors.New("kakunin: key usage not digitalSignature only")
	ErrExtKeyUsage       = errors.New("kakunin: extended key usage lacks clientAuth or allows any")
	ErrAgentPolicy       = errors.New("kakunin: kakunin agent certificate policy absent")
	ErrDigestsMissing    = errors.New("kakunin: agent digests attribute absent")
	ErrDigestsMalformed  = errors.New("kakunin: agent digests attribute malformed")
	ErrDigestsMismatch   = errors.New("kakunin: agent digests differ from the DID")
	ErrSerialNumber      = errors.New("kakunin: serial number not positive or longer than 20 octets")
	ErrValidityTooLong   = errors.New("kakunin: validity period longer than allowed")
	ErrKeyIdentifier     = errors.New("kakunin: subject or authority key identifier absent or inconsistent")
	ErrRevocationInfo    = errors.New("kakunin: CRL distribution point or OCSP responder absent")
	ErrKeyType           = errors.New("kakunin: public key type or size not allowed")
	ErrCriticalExtension = errors.New("kakunin: unknown critical extension")
)

// ProfileError reports one rule of the agent-certificate profile that a
// certificate breaks. It matches ErrProfile and Err.
type ProfileError struct {
	Rule string // the field or extension, e.g. "subjectAltName"
	Err  error  // one of the profile sentinels
	Msg  string // detail, never key material
}

func (e *ProfileError) Error() string {
	return fmt.Sprintf("kakunin: agent certificate %s: %s", e.Rule, e.Msg)
}

func (e *ProfileError) Unwrap() []error { return []error{ErrProfile, e.Err} }

func profileError(rule string, err error, format string, args ...any) *ProfileError {
	return &ProfileError{Rule: rule, Err: err, Msg: fmt.Sprintf(format, args...)}
}

// ChainError reports why a chain did not verify: the position of the certificate
// at fault (0 is the leaf, -1 when no single certificate is), the sentinel, and the
// underlying crypto/x509 or profile error when there is one.
type ChainError struct {
	Index int
	Err   error // a chain or profile sentinel
	Cause error // the error that led to it, or nil
}

func (e *ChainError) Error() string {
	if pe, ok := e.Cause.(*ProfileError); ok {
		return pe.Error()
	}
	msg := e.Err.Error()
	if e.Index >= 0 {
		msg = fmt.Sprintf("%s (certificate %d)", msg, e.Index)
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *ChainError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

func chainError(index int, err, cause error) *ChainError {
	return &ChainError{Index: index, Err: err, Cause: cause}
}
