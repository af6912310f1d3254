// Package issuer issues W3C Verifiable Credentials 2.0 from one or more issuer instances (an
// owner's did:key or did:web, the service's own did:web, a did:kakunin), applies the issuance
// policy, and manages their Bitstring Status List entries.
//
// Build an [Issuer] with [New] from a [Config] (a [Store]: [NewSQLStore] over store.DB, or
// [MemStore]; a did.Resolver; an [Authorizer] of owners) and its [Instance]s, then call:
//
//   - [Issuer.Issue] with a credential, or [Issuer.IssueScope] / [Issuer.IssueCompliance] with
//     claims. The credential is completed (issuer, id, validFrom, validUntil; Data Model 1.1
//     input is rewritten as 2.0), checked against the policy, given a revocation and a
//     suspension entry at random indexes, signed (Data Integrity, eddsa-rdfc-2022 by default,
//     or vc+jwt returned as an EnvelopedVerifiableCredential), and recorded with its vc.issued
//     audit entry in one transaction.
//   - [Issuer.Revoke], [Issuer.Suspend], [Issuer.Unsuspend], and [Issuer.SuspendAllForDID]
//     when an agent's certificate is revoked; each change is logged to the audit log.
//   - [Issuer.StatusListCredential] to serve the signed list credentials, and
//     [Issuer.Fetcher] to let a verifier read this issuer's lists without the network.
//
// Policy refusals are [*PolicyError] values matching one of ErrSubjectUnresolvable,
// ErrSubjectDeactivated, ErrNoValidCertificate, ErrNotAuthorized, ErrScopeExceeded and
// ErrValidityExceeded; other errors wrap ErrInvalidRequest, ErrUnknownInstance, ErrNotFound
// or ErrConflict.
package issuer
