package jose

import (
	"context"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// VerifyOptions are the verifier's trust, clock and limits. The zero value verifies nothing:
// a Resolver is required. Every other zero field has a safe meaning, given on the field.
type VerifyOptions struct {
	// Resolver resolves the DID of each kid to find the verification method.
	Resolver did.Resolver
	// Algorithms is the allow-list of "alg" values; nil means every algorithm this package
	// implements (EdDSA, Ed25519, ES256, ES384, PS256, RS256). Other values, "none" and the
	// HMAC algorithms among them, are never accepted.
	Algorithms []Algorithm
	// Now is the verifier's clock for validFrom, validUntil, exp and nbf; zero means
	// time.Now().
	Now time.Time
	// MaxBytes bounds the compact JWS; zero means DefaultMaxBytes.
	MaxBytes int
	// Parse bounds the credential or presentation in the payload. Data Model 1.1 documents
	// are always rejected.
	Parse vc.ParseOptions
	// AnyKeyType accepts verification methods of types other than JsonWebKey and its
	// predecessor JsonWebKey2020 (Multikey, …) whose key suits "alg". VC-JOSE-COSE §4.3
	// requires JsonWebKey, so leave it false unless issuers are known to publish their keys
	// otherwise.
	AnyKeyType bool
	// Audience is this verifier's identifier. A JWT that carries "aud" must name it (RFC 7519
	// §4.1.3), so with Audience empty any "aud" is rejected. When set, a presentation must
	// carry "aud".
	Audience string
	// Nonce, when set, must equal a presentation's "nonce" claim: the value the verifier sent
	// to the holder, as a Data Integrity challenge would be.
	Nonce string
	// MaxCredentials bounds the credentials of a presentation, each of which costs a DID
	// resolution; zero means 64.
	MaxCredentials int
}

func (o VerifyOptions) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// parse returns the payload's parse options. VC-JOSE-COSE secures documents "conforming to
// [VC-DATA-MODEL-2.0]": the 1.1 JWT encoding, with its vc claim, is a different format.
func (o VerifyOptions) parse() vc.ParseOptions {
	p := o.Parse
	p.RejectV1 = true
	return p
}

func (o VerifyOptions) maxBytes() int {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// VerifiedCredential is a credential whose vc+jwt signature, signer and validity period
// verified.
type VerifiedCredential struct {
	Credential *vc.Credential
	Header     Header
	// Method is the issuer's verification method that signed, from its DID document.
	Method did.VerificationMethod
}

// VerifyCredential verifies a credential secured as application/vc+jwt (VC-JOSE-COSE §3.1.1,
// §5.1) and returns it: the JWS in compact serialization is decoded, "typ" must be vc+jwt and
// "alg" in the allow-list, "kid" is resolved with opts.Resolver to a verification method
// listed under assertionMethod of its DID document whose key suits "alg", and the signature
// is verified. Only then is the payload parsed with [vc.ParseCredential]; the DID of "kid"
// must be the issuer id, the JWT claims must hold (no vc or vp, iss equal to the issuer, exp,
// nbf, aud, nonce) and opts.Now must lie in the validity period.
//
// Errors are [*vc.Error] values; see the sentinels of this package for the causes.
func VerifyCredential(ctx context.Context, data []byte, opts VerifyOptions) (*VerifiedCredential, error) {
	token, key, err := verifyJWS(ctx, data, opts, TypeCredential, did.AssertionMethod)
	if err != nil {
		return nil, err
	}
	cred, err := vc.ParseCredential(token.payload, opts.parse())
	if err != nil {
		return nil, err
	}
	issuer := cred.Issuer().ID
	if issuer != key.did {
		return nil, insecure(ErrSigner, "signed by %q, but the issuer is %q", truncate(key.did), truncate(issuer))
	}
	now := opts.now()
	checks := claimChecks{now: now, subject: issuer, audience: opts.Audience, nonce: opts.Nonce}
	if err := checkClaims(cred, token.header, checks); err != nil {
		return nil, err
	}
	if err := cred.CheckValidity(now); err != nil {
		return nil, err
	}
	return &VerifiedCredential{Credential: cred, Header: token.header, Method: key.method}, nil
}

// verifyJWS parses data, checks typ and alg, discovers the key of kid under rel and verifies
// the signature. The payload is not read.
func verifyJWS(ctx context.Context, data []byte, opts VerifyOptions, typ string, rel did.Relationship) (*jws, *signerKey, error) {
	token, err := parseCompact(data, opts.maxBytes())
	if err != nil {
		return nil, nil, err
	}
	h := token.header
	if !typeIs(h.Type, typ) {
		return nil, nil, malformed(ErrType, "typ is %q, not %s", truncate(h.Type), typ)
	}
	if !allowed(h.Algorithm, opts.Algorithms) {
		return nil, nil, insecure(ErrAlgorithm, "alg %q is not allowed", truncate(string(h.Algorithm)))
	}
	key, err := discoverKey(ctx, opts.Resolver, h, rel, opts.AnyKeyType)
	if err != nil {
		return nil, nil, err
	}
	if !verifySignature(h.Algorithm, key.pub, token.input, token.sig) {
		return nil, nil, insecure(ErrSignature, "the %s signature does not verify", h.Algorithm)
	}
	return token, key, nil
}
