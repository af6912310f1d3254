// Package kakunin implements the core of the did:kakunin DID method
// (spec/did-kakunin.md): identifiers that commit to an AI agent's model, its
// prompt manifest and its owner's key, and the X.509 agent certificates that
// anchor them.
//
// Most callers need four functions:
//
//   - [Parse] reads an identifier (and normalises the two accepted
//     non-canonical spellings); [New] makes one from digests and an owner key.
//   - [DigestModel] and [PromptManifest.Digest] compute the two digests.
//   - [VerifyChain] validates an agent's certificate chain against its DID at an
//     explicit time: the owner CA is the certificate holding the DID's owner key,
//     so no outside trust store is needed.
//   - [CheckAgentCertificate] applies the agent-certificate profile alone, for
//     issuers checking what they are about to sign.
//
// Issuers add [DigestsExtension] and the [AgentPolicy] certificate policy to agent
// certificates. Errors wrap sentinels (ErrInvalidID, ErrExpired, ErrSANMismatch …)
// for errors.Is; *IDError, *ProfileError and *ChainError carry detail. Revocation
// is checked by package revocation.
//
// Resolvers need two more: [NewResolver] makes a [Resolver] (a did.Resolver, with
// history and the DID URL paths of spec §11 through [Resolver.DereferencePath]) over
// a [Registry] and a [RevocationChecker]; [DeriveDocument] builds a DID document
// from already validated chains. A Registry that is also a [LinkRegistry] adds the
// succession links of spec §7.3 ([LinkRecord], signed with [SignLinkRecord]).
package kakunin
