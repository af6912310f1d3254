// Package did implements W3C Decentralized Identifiers (DID Core 1.0 and 1.1) and the
// data types of W3C DID Resolution. It knows no DID method; method packages
// (did/key, did/jwk, ...) implement Resolver.
//
// The functions most programs need:
//
//   - Parse and ParseURL read DIDs and DID URLs (with their DID parameters, see
//     URL.Params); DID.ResolveReference resolves relative DID URLs such as "#key-1".
//   - ParseDocument reads a DID document strictly; Document.Marshal writes the
//     application/did, application/did+json or application/did+ld+json representation.
//   - Document.Authorized finds a verification method listed under a verification
//     relationship; VerificationMethod.PublicKey decodes its key.
//   - EncodeMultikey, DecodeMultikey and NewJWK convert between crypto.PublicKey values
//     and key material.
//   - ProblemFor maps any error to the RFC 9457 problem object and HTTP status of DID
//     Resolution; the ErrXxx ErrorKind values are the sentinels to test with errors.Is.
//
// Errors are typed (SyntaxError, DocumentError) and wrap those sentinels. Inputs are
// bounded: MaxLength for DIDs and DID URLs, MaxDocumentSize for documents.
package did
