// Package status implements W3C Bitstring Status List v1.0 (Recommendation, 15 May 2025): the
// status lists through which credentials are revoked, suspended, flagged for refresh or given
// a status message.
//
// Issuers:
//   - [New] makes an all-zero list (at least [MinBits], 131,072 bits; [FromBytes] restores a
//     stored one); [Bitstring.Set] and [Bitstring.Get] change and read the entry of an index,
//     of one or more bits.
//   - [RandomIndex] picks a free index at random, as §2.1 asks; the store claims it durably.
//   - [Entry.Object] writes the credentialStatus member of an issued credential.
//   - [NewListCredential] builds the unsigned BitstringStatusListCredential, whose encodedList
//     is [Bitstring.Encode]; the issuer signs and serves it, with [CacheControl] for its ttl
//     and [RequestedTime] when it offers lists as they were at a past time.
//
// Verifiers:
//   - [NewChecker] with a [Fetcher] ([HTTPFetcher] for remote lists, and for the service's own
//     a [DocumentFetcher] over its store, issuer.Issuer.Fetcher) and a [CredentialVerifier] (the proof layer, given each
//     list as a [Document] with the media type it was served as: JSON with embedded proofs or
//     application/vc+jwt; others are refused, see [AcceptedMediaType]), then
//     [Checker.Check] on a credential whose own proofs are verified: one [Result] per entry.
//     Verified lists are cached by their ttl and validity period under the injected clock,
//     and a list fetched again whose exact bytes verified within [Options.ProofMemoTTL] is
//     neither verified nor expanded again. [Check] is the same without either.
//   - [ParseEntry], [ParseList] and [Decode] are the strict readers Check uses.
//
// Every error is an [*Error] carrying a [ProblemType]: the three of §3.5
// (STATUS_RETRIEVAL_ERROR, STATUS_VERIFICATION_ERROR, STATUS_LIST_LENGTH_ERROR; match them with
// errors.Is on [ErrRetrieval], [ErrVerification], [ErrListLength]) or the MALFORMED_VALUE_ERROR
// and RANGE_ERROR of VC Data Model 2.0 that §3 raises (matching [vc.ErrMalformedValue] and
// [vc.ErrRange]), with finer causes such as [ErrPurposeMismatch] wrapped, and an RFC 9457
// problem object ([Error.Problem]).
package status
