// Package x509 implements the did:x509 method (Microsoft did:x509 specification,
// method version 0): a DID that pins a CA certificate by fingerprint and names its
// subject by predicates (subject, san, eku, fulcio-issuer) over a leaf certificate
// that the resolver receives in the x509chain resolution option.
//
// Resolver implements did.Resolver; ChainOption puts a chain into resolution options,
// and Document builds the DID document from an already parsed chain (for example the
// x5c of a JWS). ParseID reads the identifier alone, which must never be trusted
// before resolution against a verified chain.
package x509

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Resolver resolves did:x509 DIDs. The zero value validates chains at the current
// time; it is safe for concurrent use.
type Resolver struct {
	// Now gives the time at which chains are validated; default time.Now. The spec
	// lets applications pick "a context-relevant point in time" instead, such as an
	// integrity-protected signing time.
	Now func() time.Time
}

var _ did.Resolver = Resolver{}

// MethodOptions names the method-specific resolution option Resolve reads.
func (Resolver) MethodOptions() []string { return []string{OptionChain} }

// Resolve validates the chain of the x509chain option against id and returns the DID
// document (steps 1 to 13 of the spec's DID Resolution section). Revocation is not
// checked (step 3 is left to the application). Errors wrap a did.ErrorKind and one of
// this package's errors, and come with the matching error result.
func (r Resolver) Resolve(_ context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := r.resolve(id, opts)
	if err != nil {
		return did.ErrorResult(err), err
	}
	return res, nil
}

func (r Resolver) resolve(id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	mediaType, err := did.NegotiateRepresentation(opts.Accept)
	if err != nil {
		return nil, err
	}
	pid, err := ParseID(id)
	if err != nil {
		return nil, err
	}
	if opts.VersionID != "" || !opts.VersionTime.IsZero() {
		return nil, fmt.Errorf("%w: did:x509 has no versions", did.ErrFeatureNotSupported)
	}
	chain, err := ChainFromOptions(opts)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	doc, err := Document(pid, chain, now())
	if err != nil {
		return nil, err
	}
	if doc.Context, err = doc.ContextFor(mediaType); err != nil {
		return nil, err
	}
	return &did.ResolutionResult{DIDDocument: doc, DIDResolutionMetadata: did.ResolutionMetadata{ContentType: mediaType}}, nil
}

// Document validates chain (leaf first, trust anchor last) at time at against id and
// builds the DID document: one JsonWebKey verification method "#0" with the leaf's
// key, under authentication and assertionMethod when the leaf may sign
// (digitalSignature, or no keyUsage) and under keyAgreement when it may agree keys
// (keyAgreement, or no keyUsage). The document has no @context; Marshal adds the one
// of the representation asked for. Errors wrap did.ErrInvalidOptions.
func Document(id ID, chain []*x509.Certificate, at time.Time) (*did.Document, error) {
	if len(chain) < 2 {
		return nil, optErr(ErrChainTooShort, "")
	}
	if err := verifyChain(chain, at); err != nil {
		return nil, err
	}
	model, err := modelOf(chain)
	if err != nil {
		return nil, err
	}
	if err := checkFingerprint(id, chain); err != nil {
		return nil, err
	}
	if err := checkPredicates(id, model[0]); err != nil {
		return nil, err
	}
	return document(id.DID.String(), chain[0])
}

func document(id string, leaf *x509.Certificate) (*did.Document, error) {
	jwk, err := did.NewJWK(leaf.PublicKey)
	if err != nil {
		return nil, optErr(ErrChainInvalid, "leaf key: %v", err)
	}
	vmID := id + "#0"
	doc := &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{did.NewJSONWebKeyMethod(vmID, id, jwk)}}
	ref := []did.MethodRef{{Ref: vmID}}
	noKU := !hasExtension(leaf, oidKeyUsage)
	sign := noKU || leaf.KeyUsage&x509.KeyUsageDigitalSignature != 0
	agree := noKU || leaf.KeyUsage&x509.KeyUsageKeyAgreement != 0
	if !sign && !agree {
		return nil, optErr(ErrKeyUsage, "")
	}
	if sign {
		doc.Authentication, doc.AssertionMethod = ref, ref
	}
	if agree {
		doc.KeyAgreement = ref
	}
	return doc, nil
}
