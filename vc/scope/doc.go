// Package scope reads, builds and enforces KakuninScopeCredentials: W3C Verifiable Credentials
// 2.0 that say which actions an agent may perform, on which resources and audiences, within
// which limits (amount, daily volume, rate, instruments, venues, hours), and who delegated
// them (spec/credentials.md §4).
//
// A gateway calls [ParseScope] once on a credential that vc.ParseCredential accepted and whose
// proof and status it checked, keeps the [Scope], and calls [Scope.Allows] for each request:
// the [Decision] says whether the request is allowed and, if not, which grant and which limit
// refused it. Amounts are compared exactly and hours in the grant's IANA time zone.
//
// An issuer's convenience endpoint calls [ParseGrants] on the requested grants and
// [NewCredential] to obtain the unsigned credential. [ParseActionPattern], [ParseAction] and
// [ParseURLPattern] expose the grammar. Claim errors are *vc.Error values (errors.Is
// vc.ErrMalformedValue) carrying a JSON Pointer; grammar errors wrap [ErrInvalidPattern].
package scope
