package did

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/multiformats/go-multibase"
)

func TestVerificationMethodPublicKey(t *testing.T) {
	keys := testKeys(t)
	edPub := keys["Ed25519"].Public().(ed25519.PublicKey)
	edMultikey, _ := EncodeMultikey(edPub)
	p256Multikey, _ := EncodeMultikey(keys["P-256"].Public())
	p256JWK, _ := NewJWK(keys["P-256"].Public())
	edJWK, _ := NewJWK(edPub)
	base58, _ := multibase.Encode(multibase.Base58BTC, edPub)
	cases := []struct {
		name string
		vm   VerificationMethod
		err  error
	}{
		{"Multikey Ed25519", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: edMultikey}, nil},
		{"Multikey P-256", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: p256Multikey}, nil},
		{"JsonWebKey", VerificationMethod{Type: TypeJSONWebKey, PublicKeyJwk: p256JWK}, nil},
		{"JsonWebKey2020", VerificationMethod{Type: TypeJSONWebKey2020, PublicKeyJwk: edJWK}, nil},
		{"Ed25519VerificationKey2020", VerificationMethod{Type: TypeEd25519VerificationKey2020, PublicKeyMultibase: edMultikey}, nil},
		{"Ed25519VerificationKey2018", VerificationMethod{Type: TypeEd25519VerificationKey2018, PublicKeyBase58: base58[1:]}, nil},
		{"EcdsaSecp256r1VerificationKey2019", VerificationMethod{Type: TypeEcdsaSecp256r1VerificationKey2019, PublicKeyMultibase: p256Multikey}, nil},
		{"Ed25519VerificationKey2020 with P-256", VerificationMethod{Type: TypeEd25519VerificationKey2020, PublicKeyMultibase: p256Multikey}, ErrInvalidKeyMaterial},
		{"EcdsaSecp256r1VerificationKey2019 with Ed25519", VerificationMethod{Type: TypeEcdsaSecp256r1VerificationKey2019, PublicKeyJwk: edJWK}, ErrInvalidKeyMaterial},
		{"Multikey without value", VerificationMethod{Type: TypeMultikey, PublicKeyJwk: p256JWK}, ErrInvalidKeyMaterial},
		{"JsonWebKey without JWK", VerificationMethod{Type: TypeJSONWebKey, PublicKeyMultibase: p256Multikey}, ErrInvalidKeyMaterial},
		{"2018 short key", VerificationMethod{Type: TypeEd25519VerificationKey2018, PublicKeyBase58: "abc"}, ErrInvalidKeyMaterial},
		{"unknown type", VerificationMethod{Type: "X25519KeyAgreementKey2020", PublicKeyMultibase: edMultikey}, ErrUnsupportedKey},
		{"bad multikey", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: "f00"}, ErrInvalidMultikey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.vm.ID = "#k"
			pub, err := c.vm.PublicKey()
			if c.err == nil {
				if err != nil || pub == nil {
					t.Fatalf("PublicKey() = %v", err)
				}
				return
			}
			if !errors.Is(err, c.err) || !errors.Is(err, ErrInvalidVerificationMethod) {
				t.Fatalf("PublicKey() = %v, want %v and ErrInvalidVerificationMethod", err, c.err)
			}
		})
	}
}

func TestNewMultikeyMethod(t *testing.T) {
	for name, key := range testKeys(t) {
		vm, err := NewMultikeyMethod("#k", "did:example:1", key.Public())
		if err != nil {
			t.Fatal(name, err)
		}
		pub, err := vm.PublicKey()
		if err != nil || !pub.(equaler).Equal(key.Public()) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
