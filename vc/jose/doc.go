// Package jose secures W3C Verifiable Credentials and Presentations with JOSE, as W3C
// "Securing Verifiable Credentials using JOSE and COSE" (VC-JOSE-COSE) defines: a JWS in
// compact serialization whose payload is the credential (application/vc+jwt, typ vc+jwt) or
// the presentation (application/vp+jwt, typ vp+jwt) itself, with no "vc" or "vp" claim.
//
// Issuers call [SignCredential] with a [crypto.Signer] (a file key or an HSM key) and the DID
// URL of its verification method; holders call [SignPresentation] over credentials wrapped by
// [Envelope]. Verifiers call [VerifyCredential] or [VerifyPresentation] with a [VerifyOptions]
// that injects the DID resolver, the algorithm allow-list and the clock; [Unenvelope] reads an
// EnvelopedVerifiableCredential or EnvelopedVerifiablePresentation object.
//
// Verification trusts nothing in the token before its signature verifies: "kid" must be an
// absolute DID URL naming a JsonWebKey verification method listed under assertionMethod
// (authentication for a presentation) of its DID document, the DID of "kid" must be the
// credential's issuer (the presentation's holder), "alg" must be in the allow-list and suit
// the key, and embedded keys (jwk, jku, x5u) are ignored. Errors are [*vc.Error] values
// carrying a VC Data Model problem type and one of this package's sentinels.
package jose
