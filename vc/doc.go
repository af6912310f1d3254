// Package vc implements the W3C Verifiable Credentials Data Model 2.0, and reads Data Model 1.1
// input, as types that keep the whole JSON document and check every issuer and verifier MUST
// that does not need JSON-LD processing or a securing mechanism.
//
// Call [ParseCredential] or [ParsePresentation] on untrusted bytes; the result exposes typed
// accessors ([Credential.Issuer], [Credential.ValidFrom], [Credential.Status], …) over the
// complete, unmodified document, which [Credential.MarshalJSON] writes back value for value so
// that proofs computed over it still verify. Then call [Credential.CheckValidity] with the
// verifier's clock and, when a related resource is used, [VerifyRelatedResource] with its bytes.
// Proofs (vc/dataintegrity, vc/jose), JSON-LD expansion (vc/jsonld) and status lists (vc/status)
// are separate packages.
//
// Every error is an [*Error] carrying one of the problem types of VC Data Model 2.0 §7.2
// (branch with errors.Is on [ErrParsing], [ErrMalformedValue], [ErrRange] or
// [ErrCryptographicSecurity], and on the finer [ErrExpired], [ErrNotYetValid],
// [ErrDigestMismatch], [ErrUnsupportedDigest]), the JSON Pointer of the offending member, and
// an RFC 9457 problem object for HTTP handlers ([Error.Problem]).
package vc
