// Package auth authenticates and authorises API requests with bearer tokens
// (RFC 6750) of the form
//
//	kak_<id>_<secret>
//
// where id names the token and secret is 256 random bits, both in lower-case
// unpadded base32. Only the SHA-256 hash of a token is stored (package store's
// token API); a presented token is hashed, looked up by its hash, and its id is
// compared in constant time. A token belongs to one tenant and grants a set of
// actions for a set of owners (or all of its tenant's owners); it may expire and
// may be revoked.
//
// Most callers need:
//
//   - Issue creates a token in a store transaction and returns its text, shown
//     once; Bootstrap creates the first admin token of a tenant at first start.
//   - New makes an Authority over a store; Authority.Authorize checks a request
//     for an action and an owner, Authority.CA adapts it to the CA's
//     cahttp.Authorizer, and Authority.Require is an echo middleware for other
//     routes.
//   - NewHandler serves token management (create, list, revoke) to admin
//     tokens, within their own tenant.
//
// Tenancy: a token acts only for its tenant. The CA compares the token's tenant
// with the owner's, so another tenant's token is refused (403) even when its
// grant names every owner.
//
// Audit log: Issue, Bootstrap, Revoke and the token routes append token.created
// and token.revoked entries in the transaction of the change (actor: the admin
// token, "token:<id>", or ActorSystem; digest: TokenDigest, the stored record
// without its hash). A token is not a DID, so these entries have no subject; the
// token id is in the digested record.
//
// With Options.Audit set, every write request (a method other than GET, HEAD,
// OPTIONS, TRACE) that Authorize refuses — and so every 401 or 403 of Require,
// Authority.CA and Authority.VCAPI — appends an authz.decision entry in a
// transaction of its own, committing by digest to the action, the owner asked
// for, the outcome and the id of the token presented (Decision.Digest); the
// token's text and hash are never logged. Granted decisions are not logged:
// the entry of the state change they lead to names the same actor, and a
// granted request that changes nothing has nothing to audit. Refusals are
// bounded per token id or client address by DenialLimit; the refusals over the
// limit are counted into one summary entry (SummaryDigest), logged at the next
// refusal after the window or by Authority.FlushRefusals (call it at shutdown),
// so a flood of bad requests cannot grow the log without bound.
//
// Failures wrap ErrUnauthenticated (answer 401 with a WWW-Authenticate: Bearer
// challenge) or ErrForbidden (403). No error or log message ever contains a
// token or its secret.
package auth
