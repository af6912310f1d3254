// Package compliance reads and builds KakuninComplianceCredentials: W3C Verifiable Credentials
// 2.0 that state under which regulatory frameworks (EU AI Act, MiCA, GDPR Art. 22, DORA) an
// agent's deployment was assessed, for which model and prompt, by whom and when, with the
// audit-log records that prove it (spec/credentials.md §5).
//
// A verifier calls [ParseCompliance] on a credential that vc.ParseCredential accepted and whose
// proof it checked. An issuer's convenience endpoint calls [ParseClaims] on the request body
// and [NewCredential] to obtain the unsigned credential. Every error is a *vc.Error
// (errors.Is vc.ErrMalformedValue, or vc.ErrParsing for input that is not JSON) carrying the
// JSON Pointer of the offending member.
package compliance
