// Package jwk implements the did:jwk method (github.com/quartzjer/did-jwk): New makes
// the DID of a public JWK, and Resolver expands a did:jwk into its DID document without
// any network access.
package jwk

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

var b64url = base64.RawURLEncoding.Strict()

// New returns the did:jwk of j: base64url of its JSON with members sorted by name (the
// JCS order the specification suggests, and the order of its examples). j must be a
// public key that Resolver accepts.
func New(j *did.JWK) (did.DID, error) {
	if err := check(j); err != nil {
		return did.DID{}, err
	}
	raw, err := json.Marshal(j)
	if err != nil {
		return did.DID{}, err
	}
	var members map[string]jsontext.Value
	if err := json.Unmarshal(raw, &members); err != nil {
		return did.DID{}, err
	}
	sorted, err := json.Marshal(members, json.Deterministic(true))
	if err != nil {
		return did.DID{}, err
	}
	d := did.DID{Method: "jwk", ID: b64url.EncodeToString(sorted)}
	if len(d.String()) > did.MaxLength {
		return did.DID{}, fmt.Errorf("%w: did:jwk longer than %d bytes", did.ErrInvalidDID, did.MaxLength)
	}
	return d, nil
}

// Resolver resolves did:jwk DIDs. The zero value produces JsonWebKey2020 verification
// methods as the specification shows; it is safe for concurrent use.
type Resolver struct {
	// Type is the verification method type: did.TypeJSONWebKey2020 (the default when
	// empty) or did.TypeJSONWebKey.
	Type string
}

var _ did.Resolver = Resolver{}

// Resolve decodes id and returns its DID document: one verification method "#0" with
// the JWK, under assertionMethod, authentication, capabilityInvocation,
// capabilityDelegation and keyAgreement, except that "use":"sig" drops keyAgreement and
// "use":"enc" keeps keyAgreement only. Errors come with the matching result.
func (r Resolver) Resolve(_ context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	return did.ResolveDerived(id, opts, "jwk", r.document)
}

// decode reads the method-specific identifier: base64url-value := [A-Za-z0-9_-]+,
// the base64url of a public JWK.
func decode(msid string) (*did.JWK, error) {
	raw, err := b64url.DecodeString(msid)
	if err != nil {
		return nil, fmt.Errorf("%w: did:jwk value is not unpadded base64url", did.ErrInvalidDID)
	}
	var j did.JWK
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
	}
	if err := check(&j); err != nil {
		return nil, err
	}
	return &j, nil
}

// check validates the key: a public key this package can decode, or an X25519 key for
// key agreement ("use" must not be "sig" then).
func check(j *did.JWK) error {
	_, err := j.PublicKey()
	if err == nil {
		return nil
	}
	if errors.Is(err, did.ErrUnsupportedKey) && j.Kty == "OKP" && j.Crv == "X25519" && j.Use != "sig" {
		x, derr := b64url.DecodeString(j.X)
		if derr == nil {
			if _, derr = ecdh.X25519().NewPublicKey(x); derr == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
}

// document decodes the JWK of d and builds its DID document.
func (r Resolver) document(d did.DID) (*did.Document, error) {
	j, err := decode(d.ID)
	if err != nil {
		return nil, err
	}
	typ := r.Type
	switch typ {
	case "":
		typ = did.TypeJSONWebKey2020
	case did.TypeJSONWebKey2020, did.TypeJSONWebKey:
	default:
		return nil, fmt.Errorf("%w: verification method type %q", did.ErrInvalidOptions, typ)
	}
	id := d.String()
	vmID := id + "#0"
	ref := []did.MethodRef{{Ref: vmID}}
	doc := &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{{ID: vmID, Type: typ, Controller: id, PublicKeyJwk: j}}}
	if j.Use != "enc" {
		doc.AssertionMethod, doc.Authentication, doc.CapabilityInvocation, doc.CapabilityDelegation = ref, ref, ref, ref
	}
	if j.Use != "sig" {
		doc.KeyAgreement = ref
	}
	return doc, nil
}
