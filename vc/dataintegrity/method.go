package dataintegrity

import (
	"context"
	"crypto"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

// Verification method types each suite accepts. EdDSA and ECDSA Cryptosuites
// v1.0 § Verification Methods define Multikey; Controlled Identifiers also
// define JsonWebKey. The legacy suite takes its own key type as well.
var methodTypes = map[string]bool{did.TypeMultikey: true, did.TypeJSONWebKey: true}

// retrieveKey is Controlled Identifiers 1.0 § Retrieve Verification Method:
// it resolves the DID of the proof's verificationMethod (a DID URL with a
// fragment and no path or query), checks the bi-directional reference between
// the method and its controller document, and that the method is listed under
// the proof purpose there, and returns its public key, which must fit the
// suite.
func retrieveKey(ctx context.Context, r did.Resolver, p *Proof, s *suite) (crypto.PublicKey, crypto.Hash, error) {
	if r == nil {
		return nil, 0, fmt.Errorf("%w: no DID resolver", ErrUnauthorizedMethod)
	}
	u, err := did.ParseURL(p.VerificationMethod)
	if err != nil {
		return nil, 0, err
	}
	if u.Path != "" || u.Query != "" || u.Fragment == "" {
		return nil, 0, fmt.Errorf("%w: verification method %q is not a DID with a fragment", ErrUnauthorizedMethod, clip(p.VerificationMethod))
	}
	id := u.DID.String()
	res, err := r.Resolve(ctx, id, did.ResolutionOptions{})
	if err != nil {
		return nil, 0, err
	}
	// "If controllerDocument.id does not match the controllerDocumentUrl, an
	// error MUST be raised".
	if res == nil || res.DIDDocument == nil || res.DIDDocument.ID != id {
		return nil, 0, fmt.Errorf("%w: the resolver returned no document for %s", ErrUnauthorizedMethod, clip(id))
	}
	vm, err := res.DIDDocument.Authorized(p.VerificationMethod, did.Relationship(p.ProofPurpose))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrUnauthorizedMethod, err)
	}
	// "If the absolute URL value of verificationMethod.controller does not
	// equal controllerDocumentUrl, an error MUST be raised".
	if vm.Controller != id {
		return nil, 0, fmt.Errorf("%w: %q is controlled by %q, not %s", ErrUnauthorizedMethod, clip(vm.ID), clip(vm.Controller), id)
	}
	if !methodTypes[vm.Type] && !(s.legacy() && vm.Type == did.TypeEd25519VerificationKey2020) {
		return nil, 0, fmt.Errorf("%w: verification method type %q", ErrKeyType, clip(vm.Type))
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, 0, err
	}
	h, err := s.hashFor(pub)
	return pub, h, err
}
