// Package verifier verifies W3C Verifiable Credentials and Presentations as a relying party
// needs: proofs (Data Integrity, or vc+jwt / vp+jwt envelopes) made by the issuer or holder,
// the validity period, Bitstring Status List entries, the state of did:kakunin subjects, and
// the claims of the kakunin credential types; and it says which check failed and why.
//
// Build a [Verifier] with [New] (inject the did.Resolver and a status list Fetcher: an
// issuer's Fetcher over a status.HTTPFetcher in the service), then call
// [Verifier.VerifyCredential] or [Verifier.VerifyPresentation] with [Options] (checks to run,
// clock, challenge and domain). A failed check is reported in the [Result] with its error,
// whose RFC 9457 object [ProblemOf] returns; an error is returned only for input that is not
// a JSON object or for unknown options (errors.Is [ErrInvalidInput]).
package verifier
