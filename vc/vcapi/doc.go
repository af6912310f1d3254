// Package vcapi serves the W3C VC API (VCALM) issuer, verifier and status endpoints over an
// [issuer.Issuer] and a [verifier.Verifier], as an echo v5 server.Mounter. Handlers are thin:
// decode the body strictly (internal/jsonin, bounded), make one call, map the error to an
// RFC 9457 problem, encode.
//
// Routes:
//
//	POST /credentials/issue                  201 {"verifiableCredential": …}   (Authorizer)
//	POST /credentials/issue/scope            the same, from agent, grants and delegator
//	POST /credentials/issue/compliance       the same, from agent and claims
//	POST /instances/{name}/credentials/issue[/scope|/compliance]   another issuer instance
//	POST /credentials/status                 VCALM UpdateCredentialStatusRequest (Authorizer)
//	POST /instances/{name}/credentials/status  the same, for that instance's credentials only
//	                                         (another's is a 404)
//	POST /credentials/verify                 200 VCALM VerificationResult
//	POST /credentials/verify/scope           a scope check of a KakuninScopeCredential (scopecheck.go)
//	POST /presentations/verify               200 VCALM VerificationResult, with challenge and domain
//	POST /instances/{name}/credentials/verify, /instances/{name}/presentations/verify
//	                                         the same under an instance's base URL; 404 for an
//	                                         unknown instance
//	GET, HEAD /status/{instance}/{purpose}/{list}
//	                                         the signed status list credential, public,
//	                                         Cache-Control from its ttl, a strong ETag
//	                                         (If-None-Match: 304); ?timestamp= is a 404
//	                                         STATUS_RETRIEVAL_ERROR (no past lists are kept)
//	GET  /.well-known/did.json               the DID document of the did:web instance without a
//	                                         path (did:web:host); 404 when there is none
//	GET  /{path}/did.json                    the DID document of a did:web instance with a path
//	                                         (did:web:host:instances:pay → /instances/pay/did.json),
//	                                         less Options.BasePath: its key, and its Retired keys
//	                                         for assertionMethod
//
// Request bodies must be application/json (or another +json type; 415 otherwise) and hold
// only the members the endpoint defines, at every depth: VCALM § Options, "Implementations
// MUST throw an error if an endpoint receives data, options, or option values that it does
// not understand"; an unknown member is a 400 naming it (UNKNOWN_OPTION_PROVIDED within
// options). A credential or presentation keeps its own members. Issue options accept,
// beside VCALM's credentialId and mandatoryPointers (which must be empty), "cryptosuite" (a
// Data Integrity cryptosuite) and "format": "vc+jwt" (an EnvelopedVerifiableCredential).
// Credential verify options accept VCALM's returnResults, returnProblemDetails and
// returnCredential, plus "checks"; presentation verify options VCALM's challenge, domain and
// returnPresentation, plus "checks", returnResults and returnProblemDetails. Create a
// [Handler] with [New]; write routes call the [Authorizer] ([StaticTokens] for tests and
// small deployments). Invalid input is answered 400, 413, 415 or 422, never 500.
//
// The issue and status routes honour an Idempotency-Key header (package
// server/idempotency) when the issuer's store keeps idempotency keys (the SQL stores and
// MemStore do): the response is recorded in the issuance's or status change's own store
// transaction, a retry of the same request by the same tenant within 24 hours gets it
// again with Idempotent-Replayed: true, and the key reused for another request is a 422.
package vcapi
