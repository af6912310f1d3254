package jose

import (
	"context"
	"crypto"
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

// signerKey is the outcome of key discovery: the signer's DID and verification method and
// the public key to verify with.
type signerKey struct {
	did    string
	method did.VerificationMethod
	pub    crypto.PublicKey
}

// parseKeyID checks that kid is an absolute DID URL. VC-JOSE-COSE §4.1.1: "kid MUST be
// present when the key of the issuer or subject is expressed as a DID URL", and §4.3: when iss
// is absent "the kid MUST be an absolute [URL] to a verification method listed in a
// [controlled identifier document] or a DID Document". This package always requires it.
func parseKeyID(kid string) (did.URL, error) {
	if kid == "" {
		return did.URL{}, malformed(ErrHeader, "the JOSE header has no kid")
	}
	u, err := did.ParseURL(kid)
	if err != nil {
		return did.URL{}, malformed(ErrHeader, "kid %q is not an absolute DID URL", truncate(kid))
	}
	return u, nil
}

// discoverKey resolves the DID of kid with r and returns the verification method kid names,
// which must be listed under rel (assertionMethod for credentials, authentication for
// presentations) and hold a key usable with alg.
func discoverKey(ctx context.Context, r did.Resolver, h Header, rel did.Relationship, anyType bool) (*signerKey, error) {
	u, err := parseKeyID(h.KeyID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, insecure(ErrKeyResolution, "no DID resolver was given")
	}
	id := u.DID.String()
	res, err := r.Resolve(ctx, id, did.ResolutionOptions{})
	if err != nil {
		return nil, insecure(fmt.Errorf("%w: %w", ErrKeyResolution, err), "resolving %s: %v", truncate(id), err)
	}
	if res == nil || res.DIDDocument == nil || res.DIDDocument.ID != id {
		return nil, insecure(ErrKeyResolution, "resolving %s gave no DID document for it", truncate(id))
	}
	vm, err := res.DIDDocument.Authorized(h.KeyID, rel)
	if err != nil {
		cause := ErrNotAuthorized
		if errors.Is(err, did.ErrInvalidVerificationMethod) {
			cause = ErrKeyResolution
		}
		return nil, insecure(fmt.Errorf("%w: %w", cause, err), "kid %q: %v", truncate(h.KeyID), err)
	}
	pub, err := methodKey(vm, h, anyType)
	if err != nil {
		return nil, err
	}
	return &signerKey{did: id, method: *vm, pub: pub}, nil
}

// methodKey decodes the key of vm and checks it against the header. VC-JOSE-COSE §4.3 (Using
// Controlled Identifier Documents): "The value of the type property of the verification method
// MUST be JsonWebKey. Verification material MUST be expressed in the publicKeyJwk property".
// anyType relaxes that for documents, such as did:key's default one, that give the same key
// as a Multikey. JsonWebKey2020, the type JsonWebKey replaced and the one the did:jwk method
// specification prescribes, expresses the key the same way and is accepted too.
func methodKey(vm *did.VerificationMethod, h Header, anyType bool) (crypto.PublicKey, error) {
	jwkType := vm.Type == did.TypeJSONWebKey || vm.Type == did.TypeJSONWebKey2020
	if !anyType && (!jwkType || vm.PublicKeyJwk == nil) {
		return nil, insecure(ErrKeyMismatch, "verification method %q is a %s, not a JsonWebKey", truncate(vm.ID), truncate(vm.Type))
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, insecure(fmt.Errorf("%w: %w", ErrKeyResolution, err), "verification method %q", truncate(vm.ID))
	}
	if err := checkKey(h.Algorithm, pub); err != nil {
		return nil, insecure(err, "verification method %q", truncate(vm.ID))
	}
	if err := checkJWKUse(vm.PublicKeyJwk, h.Algorithm); err != nil {
		return nil, err
	}
	if len(h.X5C) > 0 && !sameKey(h.X5C[0].PublicKey, pub) {
		// RFC 7515 §4.1.6: "The certificate containing the public key corresponding to the key
		// used to digitally sign the JWS MUST be the first certificate."
		return nil, insecure(ErrKeyMismatch, "the first x5c certificate does not hold the key of %q", truncate(vm.ID))
	}
	return pub, nil
}

// checkJWKUse applies the JWK members that restrict a key (RFC 7517 §4.2 "use", §4.4 "alg").
func checkJWKUse(jwk *did.JWK, alg Algorithm) error {
	if jwk == nil {
		return nil
	}
	if jwk.Use != "" && jwk.Use != "sig" {
		return insecure(ErrKeyMismatch, "the key's use is %q, not sig", truncate(jwk.Use))
	}
	if jwk.Alg != "" && Algorithm(jwk.Alg) != alg && !(edDSAName(Algorithm(jwk.Alg)) && edDSAName(alg)) {
		return insecure(ErrKeyMismatch, "the key is for %s, not %s", truncate(jwk.Alg), alg)
	}
	return nil
}

// edDSAName: RFC 9864 §2.2 defines Ed25519 as the same operation as EdDSA with an Ed25519
// key, so a key marked with either may verify the other.
func edDSAName(alg Algorithm) bool { return alg == EdDSA || alg == Ed25519 }

func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
