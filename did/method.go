package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json/jsontext"
	"errors"
	"fmt"

	"github.com/multiformats/go-multibase"
)

// Verification method types this package reads. Multikey and JsonWebKey are the
// types of the Controlled Identifiers specification that DID 1.1 uses; the others are
// the older suite-specific types still found in deployed documents.
const (
	TypeMultikey                          = "Multikey"
	TypeJSONWebKey                        = "JsonWebKey"
	TypeEd25519VerificationKey2020        = "Ed25519VerificationKey2020"
	TypeEd25519VerificationKey2018        = "Ed25519VerificationKey2018"
	TypeJSONWebKey2020                    = "JsonWebKey2020"
	TypeEcdsaSecp256r1VerificationKey2019 = "EcdsaSecp256r1VerificationKey2019"
)

// ErrInvalidKeyMaterial is wrapped by VerificationMethod.PublicKey errors, together
// with ErrInvalidVerificationMethod.
var ErrInvalidKeyMaterial = errors.New("did: invalid key material")

// VerificationMethod is a verification method (DID Core § Verification Methods).
type VerificationMethod struct {
	ID         string // a DID URL, or a relative one such as "#key-1"
	Type       string
	Controller string // a DID
	// PublicKeyMultibase is the Multikey value (base58btc multibase over a
	// multicodec-prefixed key).
	PublicKeyMultibase string
	PublicKeyJwk       *JWK
	// PublicKeyBase58 is the raw key in base58btc, used by Ed25519VerificationKey2018.
	PublicKeyBase58 string
	// Extra holds the extension properties.
	Extra map[string]jsontext.Value
}

// keyMaterialProperties are the verification material properties of DID Core and of
// the DID Specification Registries. DID Core § 5.2.1: "A verification method MUST NOT
// contain multiple verification material properties for the same material."
var keyMaterialProperties = []string{"publicKeyMultibase", "publicKeyJwk", "publicKeyBase58",
	"publicKeyBase64", "publicKeyHex", "publicKeyPem", "blockchainAccountId", "ethereumAddress"}

// NewMultikeyMethod returns a Multikey verification method for pub.
func NewMultikeyMethod(id, controller string, pub crypto.PublicKey) (VerificationMethod, error) {
	mk, err := EncodeMultikey(pub)
	if err != nil {
		return VerificationMethod{}, err
	}
	return VerificationMethod{ID: id, Type: TypeMultikey, Controller: controller, PublicKeyMultibase: mk}, nil
}

// NewJSONWebKeyMethod returns a JsonWebKey verification method carrying jwk.
func NewJSONWebKeyMethod(id, controller string, jwk *JWK) VerificationMethod {
	return VerificationMethod{ID: id, Type: TypeJSONWebKey, Controller: controller, PublicKeyJwk: jwk}
}

// PublicKey decodes the method's key material as its type prescribes: Multikey from
// publicKeyMultibase, JsonWebKey and JsonWebKey2020 from publicKeyJwk,
// Ed25519VerificationKey2020 from publicKeyMultibase (Ed25519 only),
// Ed25519VerificationKey2018 from publicKeyBase58, EcdsaSecp256r1VerificationKey2019
// from publicKeyMultibase or publicKeyJwk (P-256 only). Errors wrap
// ErrInvalidVerificationMethod and ErrInvalidKeyMaterial, ErrInvalidMultikey,
// ErrInvalidJWK or ErrUnsupportedKey.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	pub, err := vm.publicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidVerificationMethod, truncate(vm.ID), err)
	}
	return pub, nil
}

func (vm *VerificationMethod) publicKey() (crypto.PublicKey, error) {
	switch vm.Type {
	case TypeMultikey:
		return vm.multikey()
	case TypeJSONWebKey, TypeJSONWebKey2020:
		return vm.jwk()
	case TypeEd25519VerificationKey2020:
		return onlyEd25519(vm.multikey())
	case TypeEd25519VerificationKey2018:
		return onlyEd25519(vm.base58())
	case TypeEcdsaSecp256r1VerificationKey2019:
		if vm.PublicKeyJwk != nil {
			return onlyP256(vm.jwk())
		}
		return onlyP256(vm.multikey())
	}
	return nil, fmt.Errorf("%w: verification method type %q", ErrUnsupportedKey, truncate(vm.Type))
}

func (vm *VerificationMethod) multikey() (crypto.PublicKey, error) {
	if vm.PublicKeyMultibase == "" {
		return nil, fmt.Errorf("%w: %s needs publicKeyMultibase", ErrInvalidKeyMaterial, vm.Type)
	}
	return DecodeMultikey(vm.PublicKeyMultibase)
}

func (vm *VerificationMethod) jwk() (crypto.PublicKey, error) {
	if vm.PublicKeyJwk == nil {
		return nil, fmt.Errorf("%w: %s needs publicKeyJwk", ErrInvalidKeyMaterial, vm.Type)
	}
	return vm.PublicKeyJwk.PublicKey()
}

func (vm *VerificationMethod) base58() (crypto.PublicKey, error) {
	if vm.PublicKeyBase58 == "" {
		return nil, fmt.Errorf("%w: %s needs publicKeyBase58", ErrInvalidKeyMaterial, vm.Type)
	}
	_, raw, err := multibase.Decode("z" + vm.PublicKeyBase58)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: publicKeyBase58 is not a 32-byte base58btc key", ErrInvalidKeyMaterial)
	}
	return ed25519.PublicKey(raw), nil
}

func onlyEd25519(pub crypto.PublicKey, err error) (crypto.PublicKey, error) {
	if err != nil {
		return nil, err
	}
	if _, ok := pub.(ed25519.PublicKey); !ok {
		return nil, fmt.Errorf("%w: %T where the type requires Ed25519", ErrInvalidKeyMaterial, pub)
	}
	return pub, nil
}

func onlyP256(pub crypto.PublicKey, err error) (crypto.PublicKey, error) {
	if err != nil {
		return nil, err
	}
	if k, ok := pub.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%w: %T where the type requires P-256", ErrInvalidKeyMaterial, pub)
	}
	return pub, nil
}

func (d *Document) parseMethod(path string, v jsontext.Value) (VerificationMethod, error) {
	f, err := decodeObject(path, v)
	if err != nil {
		return VerificationMethod{}, err
	}
	var vm VerificationMethod
	if vm.ID, err = requiredString(path, f, "id"); err != nil {
		return vm, err
	}
	if err := d.checkRef(vm.ID); err != nil {
		return vm, docErr(path+".id", "%v", err)
	}
	if vm.Type, err = requiredString(path, f, "type"); err != nil {
		return vm, err
	}
	if vm.Controller, err = requiredString(path, f, "controller"); err != nil {
		return vm, err
	}
	if err := checkDID(vm.Controller); err != nil {
		return vm, docErr(path+".controller", "%v", err)
	}
	if err := vm.parseKeyMaterial(path, f); err != nil {
		return vm, err
	}
	for _, k := range []string{"id", "type", "controller", "publicKeyMultibase", "publicKeyJwk", "publicKeyBase58"} {
		delete(f, k)
	}
	vm.Extra = extra(f)
	return vm, nil
}

func (vm *VerificationMethod) parseKeyMaterial(path string, f fields) error {
	var found []string
	for _, k := range keyMaterialProperties {
		if _, ok := f[k]; ok {
			found = append(found, k)
		}
	}
	if len(found) > 1 {
		return docErr(path, "more than one verification material property: %v", found)
	}
	var err error
	if v, ok := f["publicKeyMultibase"]; ok {
		if vm.PublicKeyMultibase, err = decodeString(path+".publicKeyMultibase", v); err != nil {
			return err
		}
		if _, _, err := multibase.Decode(vm.PublicKeyMultibase); err != nil {
			return docErr(path+".publicKeyMultibase", "not multibase")
		}
	}
	if v, ok := f["publicKeyBase58"]; ok {
		if vm.PublicKeyBase58, err = decodeString(path+".publicKeyBase58", v); err != nil {
			return err
		}
	}
	if v, ok := f["publicKeyJwk"]; ok {
		if vm.PublicKeyJwk, err = parseJWK(path+".publicKeyJwk", v); err != nil {
			return err
		}
	}
	return nil
}

func (vm *VerificationMethod) object() object {
	var o object
	o.add("id", vm.ID)
	o.add("type", vm.Type)
	o.add("controller", vm.Controller)
	o.addString("publicKeyMultibase", vm.PublicKeyMultibase)
	if vm.PublicKeyJwk != nil {
		o.add("publicKeyJwk", vm.PublicKeyJwk.object())
	}
	o.addString("publicKeyBase58", vm.PublicKeyBase58)
	o.addExtra(vm.Extra)
	return o
}

// MarshalJSON writes the method with its members in a fixed order.
func (vm VerificationMethod) MarshalJSON() ([]byte, error) { return vm.object().MarshalJSON() }

// MarshalJSONTo is MarshalJSON into enc.
func (vm VerificationMethod) MarshalJSONTo(enc *jsontext.Encoder) error {
	return vm.object().MarshalJSONTo(enc)
}
