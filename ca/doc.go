// Package ca is the kakunin agent certificate authority: it issues X.509 agent
// certificates for did:kakunin identifiers under owner CAs whose keys it holds
// (files or HSMs, package keys), records them in the registry (package store),
// revokes them, and publishes their status by CRL and OCSP.
//
// Make a CA with [New] over a store.DB, then:
//
//   - [CA.InitOwner] creates a self-signed owner CA (or [OwnerCSR] and
//     [CA.ImportOwner] for an owner certified by an enterprise CA) and returns the
//     owner key in Multikey form, the last component of the owner's DIDs;
//     [CA.LoadOwner] loads a recorded owner's key when a process starts.
//   - [CA.Enroll] issues an agent certificate from a CSR and the model and prompt
//     digests (or the DID); [CA.Renew] renews or rotates with a request signed by
//     the current key ([SignRenewal]); [CA.Revoke] and [CA.Deactivate] revoke;
//     [CA.Link] links a DID to its successor with a record signed by the owner key.
//   - [CA.Publish] records an agent chain issued elsewhere, after
//     kakunin.VerifyChain.
//   - [CA.CRL] and [CA.OCSP] serve status; call [CA.RefreshCRLs] periodically.
//
// Every certificate is checked with kakunin.CheckAgentCertificate before it is
// recorded, and each change is one store transaction that also appends its audit
// entry (package audit): certificate, event and cert.issued (cert.renewed,
// chain.published), or revocation, event, cert.revoked and the new CRL; owner
// creation logs owner.created, deactivation did.deactivated and a link did.linked
// (once per DID). Entries name the
// request's Actor and tenant and commit to the certificate's DER by SHA-256 (see
// RevocationDigest, DeactivationDigest and LinkDigest for the other events); the store must
// keep an audit log (store.Audit), or every change fails with store.ErrSchema.
//
// After a revocation commits, Options.OnRevoke lets the server cascade it (suspend
// the agent's credentials, drop cached resolutions), and Options.OnChange follows
// every change of a DID. A crash can lose a hook call after the commit; the server
// re-applies the cascade to [CA.Revocations] at start and periodically. CRLs are complete v2 CRLs with cRLNumber and
// authorityKeyIdentifier and without issuingDistributionPoint. OCSP answers are
// signed by a short-lived delegated responder certificate (id-kp-OCSPSigning,
// id-pkix-ocsp-nocheck) per owner and cached, when the request has no nonce,
// until half their validity or a revocation through this CA (other CA processes
// sharing the store see a revocation in their OCSP answers when their cached
// answer goes stale: at most half of Options.OCSPValidity).
//
// The HTTP endpoints (package ca/cahttp) are, under Options.BaseURL:
//
//	GET  /ca/owners/{owner}            owner CA chain (application/pem-certificate-chain)
//	GET  /ca/owners/{owner}/ca.crt     owner CA certificate, DER (application/pkix-cert); caIssuers (AIA)
//	GET  /ca/owners/{owner}/crl        CRL, DER (application/pkix-crl); the CRL distribution point
//	GET  /ca/owners/{owner}/crl.pem    CRL, PEM
//	POST /ca/owners/{owner}/ocsp       OCSP, application/ocsp-request; the OCSP responder (AIA)
//	GET  /ca/owners/{owner}/ocsp/{req} OCSP, base64 request in the path (RFC 6960 A.1)
//	POST /ca/owners/{owner}/enroll     enrolment
//	POST /ca/owners/{owner}/renew      renewal and rotation
//	POST /ca/owners/{owner}/revoke     revocation
//	POST /ca/dids/{did}/deactivate     DID deactivation
//	POST /ca/dids/{did}/link           predecessor/successor link ({"successor": DID})
//	POST /ca/publish                   publication of an external chain
//
// Errors wrap the sentinels below (ErrInvalidRequest, ErrPolicy, ErrForbidden …)
// and carry detail in *RequestError; store failures wrap the store sentinels.
package ca
