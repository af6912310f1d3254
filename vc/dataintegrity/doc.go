// Package dataintegrity secures JSON-LD documents with W3C Verifiable
// Credential Data Integrity 1.0 proofs, and verifies them, with the
// cryptosuites of EdDSA Cryptosuites v1.0 (eddsa-rdfc-2022, eddsa-jcs-2022)
// and ECDSA Cryptosuites v1.0 (ecdsa-rdfc-2019 and ecdsa-jcs-2019, on P-256
// with SHA-256 or P-384 with SHA-384). Legacy Ed25519Signature2020 proofs can
// be verified when asked for.
//
// Most callers need two functions:
//
//   - [AddProof] (or [Sign], on a decoded document) signs with any
//     crypto.Signer, an HSM key included, and adds the proof to the document's
//     proof set, chained to earlier proofs named in ProofOptions.PreviousProof.
//   - [Verify] checks every proof of a document: the verification method is
//     resolved through the injected did.Resolver and must be authorized for
//     the proof's purpose; purpose, domain, challenge and expiry are checked
//     against [VerifyOptions].
//
// The RDFC suites process JSON-LD offline through a vc/jsonld Processor (the
// embedded contexts by default; pass one that knows the application's
// contexts). Because credentials come in few shapes, the package learns, per
// processor and document shape, an RDF template into which a document's string
// values are substituted, and uses it only once it has reproduced the JSON-LD
// result for the document it was learned from (doctemplate.go explains the
// rules); bounded caches keep the cost of unseen shapes to the JSON-LD path.
//
// Errors are [*Error] values of the processing error types of Data
// Integrity § Processing Errors; branch with errors.Is on the ErrXxx
// sentinels, or on vc.ErrCryptographicSecurity for any verification failure.
package dataintegrity
