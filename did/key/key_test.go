package key

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-varint"

	"github.com/kakunin-dev/kakunin/did"
)

// multikeyOf encodes n bytes under multicodec code: a compressed EC point prefix
// followed by x = 0xffff..., which is larger than the field prime of P-256.
func multikeyOf(code uint64, n int) string {
	raw := make([]byte, n)
	for i := range raw {
		raw[i] = 0xff
	}
	raw[0] = 2
	s, _ := multibase.Encode(multibase.Base58BTC, append(varint.ToUvarint(code), raw...))
	return s
}

// Example DIDs published in the did:key specification and its test vectors.
func TestResolvePublishedDIDs(t *testing.T) {
	cases := []struct {
		did, curve   string
		keyAgreement bool
		jwkX, jwkY   string
	}{
		{did: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", curve: "Ed25519"},
		{did: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", curve: "Ed25519"},
		{did: "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv", curve: "P-256", keyAgreement: true,
			jwkX: "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns", jwkY: "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"},
		{did: "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", curve: "P-256", keyAgreement: true,
			jwkX: "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI", jwkY: "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU"},
		{did: "did:key:z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54", curve: "P-384", keyAgreement: true},
		{did: "did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9", curve: "P-384", keyAgreement: true},
	}
	for _, c := range cases {
		t.Run(c.did, func(t *testing.T) {
			res, err := Resolver{Format: FormatJSONWebKey}.Resolve(context.Background(), c.did, did.ResolutionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			doc := res.DIDDocument
			vmID := c.did + "#" + c.did[len("did:key:"):]
			vm, err := doc.Authorized(vmID, did.AssertionMethod)
			if err != nil {
				t.Fatal(err)
			}
			for _, rel := range []did.Relationship{did.Authentication, did.CapabilityInvocation, did.CapabilityDelegation} {
				if _, err := doc.Authorized(vmID, rel); err != nil {
					t.Error(rel, err)
				}
			}
			if _, err := doc.Authorized(vmID, did.KeyAgreement); (err == nil) != c.keyAgreement {
				t.Errorf("keyAgreement: %v", err)
			}
			if vm.PublicKeyJwk.Crv != c.curve || c.jwkX != "" && (vm.PublicKeyJwk.X != c.jwkX || vm.PublicKeyJwk.Y != c.jwkY) {
				t.Fatalf("JWK %+v", vm.PublicKeyJwk)
			}
			if res.DIDResolutionMetadata.ContentType != did.MediaTypeDID { // the default
				t.Fatalf("contentType %q", res.DIDResolutionMetadata.ContentType)
			}
		})
	}
}

func TestResolveMultikeyDocument(t *testing.T) {
	const id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	res, err := Resolver{}.Resolve(context.Background(), id, did.ResolutionOptions{Accept: did.MediaTypeDID})
	if err != nil {
		t.Fatal(err)
	}
	b, err := res.DIDDocument.Marshal(did.MediaTypeDIDLDJSON)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"` + id + `",` +
		`"verificationMethod":[{"id":"` + id + `#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}],` +
		`"authentication":["` + id + `#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],"assertionMethod":["` + id + `#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],` +
		`"capabilityInvocation":["` + id + `#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],"capabilityDelegation":["` + id + `#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	if res.DIDResolutionMetadata.ContentType != did.MediaTypeDID || res.DIDDocument.Context[0] != did.ContextV1_1 {
		t.Fatalf("application/did not honoured: %q %v", res.DIDResolutionMetadata.ContentType, res.DIDDocument.Context)
	}
}

func TestResolveErrors(t *testing.T) {
	cases := []struct {
		name, did string
		opts      did.ResolutionOptions
		errs      []error
	}{
		{"long P-256", "did:key:" + multikeyOf(0x1200, 34), did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrInvalidPublicKeyLength}},
		{"P-256 off curve", "did:key:" + multikeyOf(0x1200, 33), did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrInvalidPublicKey}},
		{"P-521", "did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7", did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrUnsupportedPublicKeyType}},
		{"X25519", "did:key:z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p", did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrUnsupportedPublicKeyType}},
		{"short Ed25519", "did:key:" + multikeyOf(0xed, 31), did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrInvalidPublicKeyLength}},
		{"not base58btc", "did:key:f00ed", did.ResolutionOptions{}, []error{did.ErrInvalidDID}},
		{"bad base58", "did:key:z0OIl", did.ResolutionOptions{}, []error{did.ErrInvalidDID, ErrInvalidPublicKey}},
		{"version 2", "did:key:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.ResolutionOptions{}, []error{did.ErrInvalidDID}},
		{"other method", "did:web:example.com", did.ResolutionOptions{}, []error{did.ErrMethodNotSupported}},
		{"syntax", "did:key:", did.ResolutionOptions{}, []error{did.ErrInvalidDID}},
		{"accept", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.ResolutionOptions{Accept: "text/html"}, []error{did.ErrRepresentationNotSupported}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Resolver{}.Resolve(context.Background(), c.did, c.opts)
			for _, want := range c.errs {
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
			if res == nil || res.DIDDocument != nil || res.DIDResolutionMetadata.Error == nil ||
				res.DIDResolutionMetadata.Error.Type != did.ProblemFor(c.errs[0]).Type {
				t.Fatalf("result %+v", res)
			}
		})
	}
	if _, err := (Resolver{Format: "JsonWebKey2020"}).Resolve(context.Background(), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.ResolutionOptions{}); !errors.Is(err, ErrUnsupportedPublicKeyType) {
		t.Fatalf("unknown format: %v", err)
	}
}

func TestNewResolvesToSameKey(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, pub := range []any{edPub, &p384.PublicKey} {
		d, err := New(pub)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Resolver{}.Resolve(context.Background(), d.String(), did.ResolutionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := res.DIDDocument.VerificationMethod[0].PublicKey()
		if err != nil || !got.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
			t.Fatalf("%T: %v", pub, err)
		}
	}
}
