// Package key implements the did:key method (W3C CCG "The did:key Method v0.9") for
// Ed25519, P-256 and P-384 keys: New makes the DID of a public key, and Resolver
// expands a did:key into its DID document without any network access.
package key

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-varint"

	"github.com/kakunin-dev/kakunin/did"
)

// The errors the did:key specification names, for errors.Is. Resolve wraps them
// together with did.ErrInvalidDID (so ProblemFor reports INVALID_DID, status 400, with
// the specific error in the detail) or did.ErrInvalidOptions.
var (
	ErrInvalidPublicKey         = errors.New("key: invalidPublicKey")
	ErrInvalidPublicKeyLength   = errors.New("key: invalidPublicKeyLength")
	ErrUnsupportedPublicKeyType = errors.New("key: unsupportedPublicKeyType")
)

// Public key formats of the verification method (the did:key publicKeyFormat option).
const (
	FormatMultikey   = did.TypeMultikey
	FormatJSONWebKey = did.TypeJSONWebKey
)

// keyLengths is the table of the did:key Signature Method Creation Algorithm for the
// key types this package supports.
var keyLengths = map[multicodec.Code]int{
	multicodec.Ed25519Pub: 32,
	multicodec.P256Pub:    33,
	multicodec.P384Pub:    49,
}

// New returns the did:key of pub (Ed25519, P-256 or P-384).
func New(pub crypto.PublicKey) (did.DID, error) {
	mk, err := did.EncodeMultikey(pub)
	if err != nil {
		return did.DID{}, err
	}
	if _, err := decode(mk); err != nil {
		return did.DID{}, err
	}
	return did.DID{Method: "key", ID: mk}, nil
}

// Resolver resolves did:key DIDs. The zero value produces Multikey verification
// methods; it is safe for concurrent use.
type Resolver struct {
	// Format is FormatMultikey (the default when empty) or FormatJSONWebKey.
	Format string
}

var _ did.Resolver = Resolver{}

// Resolve expands id into its DID document (Document Creation Algorithm): one
// verification method whose fragment is the multibase value, referenced from
// authentication, assertionMethod, capabilityInvocation and capabilityDelegation, and
// from keyAgreement for P-256 and P-384 keys (ECDH-capable). The representation follows
// opts.Accept (see did.NegotiateRepresentation). Errors come with the matching result.
func (r Resolver) Resolve(_ context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	return did.ResolveDerived(id, opts, "key", r.document)
}

func (r Resolver) document(d did.DID) (*did.Document, error) {
	// "split the identifier into its components: a scheme, a method, a version, and a
	// multibaseValue. If there are only three components set the version to the
	// string value 1". Version 1 is the only one defined.
	mb := d.ID
	if version, rest, ok := strings.Cut(d.ID, ":"); ok {
		if version != "1" {
			return nil, fmt.Errorf("%w: did:key version %q", did.ErrInvalidDID, version)
		}
		mb = rest
	}
	pub, err := decode(mb)
	if err != nil {
		return nil, err
	}
	id := d.String()
	vmID := id + "#" + mb
	vm, err := r.method(vmID, id, pub)
	if err != nil {
		return nil, err
	}
	ref := []did.MethodRef{{Ref: vmID}}
	doc := &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{vm},
		Authentication: ref, AssertionMethod: ref, CapabilityInvocation: ref, CapabilityDelegation: ref}
	if _, ed := pub.(ed25519.PublicKey); !ed {
		doc.KeyAgreement = ref
	}
	return doc, nil
}

func (r Resolver) method(vmID, controller string, pub crypto.PublicKey) (did.VerificationMethod, error) {
	switch r.Format {
	case "", FormatMultikey:
		return did.NewMultikeyMethod(vmID, controller, pub)
	case FormatJSONWebKey:
		jwk, err := did.NewJWK(pub)
		if err != nil {
			return did.VerificationMethod{}, err
		}
		return did.NewJSONWebKeyMethod(vmID, controller, jwk), nil
	}
	return did.VerificationMethod{}, fmt.Errorf("%w: %w: publicKeyFormat %q", did.ErrInvalidOptions, ErrUnsupportedPublicKeyType, r.Format)
}

// decode checks a did:key multibase value per the Decode Public Key and Signature
// Method Creation algorithms and returns the key.
func decode(mb string) (crypto.PublicKey, error) {
	if len(mb) < 2 || mb[0] != 'z' {
		return nil, fmt.Errorf("%w: did:key value must be base58btc multibase (start with \"z\")", did.ErrInvalidDID)
	}
	_, data, err := multibase.Decode(mb)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: not base58btc", did.ErrInvalidDID, ErrInvalidPublicKey)
	}
	code, n, err := varint.FromUvarint(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: bad multicodec header", did.ErrInvalidDID, ErrInvalidPublicKey)
	}
	want, ok := keyLengths[multicodec.Code(code)]
	if !ok {
		return nil, fmt.Errorf("%w: %w: multicodec 0x%x", did.ErrInvalidDID, ErrUnsupportedPublicKeyType, code)
	}
	if len(data)-n != want {
		return nil, fmt.Errorf("%w: %w: %d bytes, want %d", did.ErrInvalidDID, ErrInvalidPublicKeyLength, len(data)-n, want)
	}
	pub, err := did.DecodeMultikey(mb)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %w", did.ErrInvalidDID, ErrInvalidPublicKey, err)
	}
	return pub, nil
}
