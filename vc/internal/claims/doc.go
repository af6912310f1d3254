// Package claims reads the claims of the kakunin credential types (packages vc/scope and
// vc/compliance) strictly. Claims arrive as map[string]any from encoding/json or
// vc.ParseCredential; a member that is not allowed, a value of the wrong type, an empty string
// or a list that is too long is refused with a *vc.Error of type MALFORMED_VALUE_ERROR
// (errors.Is vc.ErrMalformedValue) whose Path is the RFC 6901 JSON Pointer of the value.
//
// [Decode] reads claims sent alone. Call [AsObject] on a decoded value with the members it may
// have, then read members with [Object.Str], [Object.Strings], [Object.Integer] and
// [Object.Boolean]; [Array] checks a list, [Party] a DID-or-URL party, [At] extends a pointer
// and [Malformed] reports a new failure.
// [CheckEnvelope] and [SubjectPath] check what every kakunin credential has around its
// subject; [Envelope] builds it and [CheckBuilt] parses a built credential back.
package claims
