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
// Failures wrap ErrUnauthenticated (answer 401 with a WWW-Authenticate: Bearer
// challenge) or ErrForbidden (403). No error or log message ever contains a
// token or its secret.
package auth
