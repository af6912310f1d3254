package jose

import (
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/vc"
)

// Causes of failure. Verification errors are [*vc.Error] values whose problem type (test with
// errors.Is on [vc.ErrParsing], [vc.ErrMalformedValue], [vc.ErrCryptographicSecurity] or
// [vc.ErrRange]) says how the input is wrong and whose cause is one of these sentinels (or
// [vc.ErrExpired] and [vc.ErrNotYetValid]); errors.Is matches both. Signing errors wrap these
// sentinels directly.
var (
	// ErrMalformedJWS: the input is not a JWS in compact serialization (PARSING_ERROR).
	ErrMalformedJWS = errors.New("jose: malformed compact JWS")
	// ErrHeader: a JOSE header parameter is missing, mistyped or not supported, "crit" among
	// them (MALFORMED_VALUE_ERROR).
	ErrHeader = errors.New("jose: invalid JOSE header")
	// ErrType: "typ" is not vc+jwt (vp+jwt for a presentation) (MALFORMED_VALUE_ERROR).
	ErrType = errors.New("jose: wrong typ")
	// ErrClaims: a JWT claim is malformed or forbidden ("vc", "vp") or "iss" is not the issuer
	// (MALFORMED_VALUE_ERROR).
	ErrClaims = errors.New("jose: invalid JWT claims")
	// ErrAlgorithm: "alg" is not in the verifier's allow-list, or the signer's key has no
	// supported algorithm (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrAlgorithm = errors.New("jose: algorithm not allowed")
	// ErrKeyResolution: "kid" could not be resolved to a verification method, or no resolver
	// was given (CRYPTOGRAPHIC_SECURITY_ERROR). The resolver's error is wrapped too.
	ErrKeyResolution = errors.New("jose: verification method not found")
	// ErrNotAuthorized: the verification method is not listed under the verification
	// relationship the proof needs, assertionMethod for a credential and authentication for a
	// presentation (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrNotAuthorized = errors.New("jose: verification method not authorized")
	// ErrKeyMismatch: the verification method's key is of the wrong type or size for "alg",
	// its type is not JsonWebKey (or JsonWebKey2020), its JWK "use" or "alg" forbids the use, or
	// it differs from the x5c certificate (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrKeyMismatch = errors.New("jose: key does not match")
	// ErrSignature: the signature does not verify (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrSignature = errors.New("jose: invalid signature")
	// ErrSigner: "kid" names a DID other than the credential's issuer or the presentation's
	// holder (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrSigner = errors.New("jose: signer is not the issuer or holder")
	// ErrAudience: "aud" does not name the verifier, or is missing when the verifier expects
	// it (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrAudience = errors.New("jose: audience mismatch")
	// ErrNonce: "nonce" is not the one the verifier expects (CRYPTOGRAPHIC_SECURITY_ERROR).
	ErrNonce = errors.New("jose: nonce mismatch")
	// ErrUnsecuredCredential: a presentation carries a credential that is not an enveloped
	// application/vc+jwt credential (MALFORMED_VALUE_ERROR).
	ErrUnsecuredCredential = errors.New("jose: presented credential not secured with vc+jwt")
	// ErrDataModel: SignCredential or SignPresentation was given a Data Model 1.1 document;
	// VC-JOSE-COSE secures Data Model 2.0 documents only.
	ErrDataModel = errors.New("jose: not a VC Data Model 2.0 document")
	// ErrEnvelope: an enveloped credential or presentation object is malformed.
	ErrEnvelope = errors.New("jose: malformed envelope")
)

func problem(t vc.ProblemType, cause error, format string, args ...any) *vc.Error {
	return &vc.Error{Type: t, Err: cause, Detail: fmt.Sprintf(format, args...)}
}

func parsingError(format string, args ...any) *vc.Error {
	return problem(vc.ParsingError, ErrMalformedJWS, format, args...)
}

func malformed(cause error, format string, args ...any) *vc.Error {
	return problem(vc.MalformedValueError, cause, format, args...)
}

func insecure(cause error, format string, args ...any) *vc.Error {
	return problem(vc.CryptographicSecurityError, cause, format, args...)
}

// truncate shortens untrusted text quoted in an error.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
