package jose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// testNow is the verifier's clock in tests: inside the validity period of testCredential.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// resolver is an in-test did.Resolver over fixed documents.
type resolver map[string]*did.Document

func (r resolver) Resolve(_ context.Context, id string, _ did.ResolutionOptions) (*did.ResolutionResult, error) {
	doc, ok := r[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", did.ErrNotFound, id)
	}
	return &did.ResolutionResult{DIDDocument: doc}, nil
}

// party is a DID controller with a signing key "#key-1" (a JsonWebKey listed under
// assertionMethod and authentication), a key "#invoke" listed only under
// capabilityInvocation, and the same key as a Multikey "#mk" under assertionMethod.
type party struct {
	did    string
	signer crypto.Signer
	doc    *did.Document
}

func (p party) kid(fragment string) string { return p.did + "#" + fragment }

func newParty(t testing.TB, name string, signer crypto.Signer) party {
	t.Helper()
	id := "did:example:" + name
	jwk, err := did.NewJWK(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	mk, err := did.NewMultikeyMethod(id+"#mk", id, signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	doc := &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{
		did.NewJSONWebKeyMethod(id+"#key-1", id, jwk),
		did.NewJSONWebKeyMethod(id+"#invoke", id, jwk),
		mk,
	}}
	doc.AssertionMethod = []did.MethodRef{{Ref: "#key-1"}, {Ref: "#mk"}}
	doc.Authentication = []did.MethodRef{{Ref: "#key-1"}}
	doc.CapabilityInvocation = []did.MethodRef{{Ref: "#invoke"}}
	return party{did: id, signer: signer, doc: doc}
}

func resolverOf(parties ...party) resolver {
	r := resolver{}
	for _, p := range parties {
		r[p.did] = p.doc
	}
	return r
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// testSigner returns a fixed key for alg (Ed25519 from a seed; the others generated once).
func testSigner(t testing.TB, alg Algorithm) crypto.Signer {
	t.Helper()
	switch alg {
	case EdDSA, Ed25519:
		return ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	case ES256:
		return mustECDSA(t, elliptic.P256())
	case ES384:
		return mustECDSA(t, elliptic.P384())
	case RS256, PS256:
		rsaOnce.Do(func() {
			var err error
			if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
				panic(err)
			}
		})
		return rsaKey
	}
	t.Fatalf("no test key for %s", alg)
	return nil
}

func mustECDSA(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// credentialJSON is a VC 2.0 credential of about 25 claims with an issuer object and a
// Bitstring Status List entry, valid from 2026-01-01 to 2027-01-01.
func credentialJSON(issuer string) string {
	return fmt.Sprintf(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:1f3c1a4e-1d52-4f3e-9a55-0e2b4a7b9c10",
  "type": ["VerifiableCredential", "ExampleScopeCredential"],
  "name": "Agent scope",
  "description": "What the agent may do",
  "issuer": {"id": %q, "name": "Example Owner", "url": "https://owner.example"},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2027-01-01T00:00:00Z",
  "credentialStatus": {
    "id": "https://owner.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://owner.example/status/3"
  },
  "credentialSubject": {
    "id": "did:example:agent",
    "model": "example-model-7b",
    "modelDigest": "sha256-2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
    "promptDigest": "sha256-fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9",
    "owner": "did:example:owner",
    "actions": ["payments:create", "crm.contacts:read", "mcp:search"],
    "audiences": ["https://api.bank.example", "https://crm.example"],
    "maxAmount": {"value": "250.00", "currency": "EUR"},
    "dailyVolume": {"value": "5000.00", "currency": "EUR"},
    "rateLimit": {"requests": 60, "per": "minute"},
    "allowedHours": "08:00-20:00",
    "timeZone": "Europe/Paris",
    "instruments": ["SEPA", "card"],
    "delegatedBy": "did:example:alice",
    "riskClass": "limited",
    "oversight": "human-on-the-loop",
    "logging": true
  }
}`, issuer)
}

func parseCredential(t testing.TB, data string) *vc.Credential {
	t.Helper()
	c, err := vc.ParseCredential([]byte(data), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// forge builds a compact JWS from any header and payload, signed with signer as alg, or
// with sig when signer is nil.
func forge(t testing.TB, header map[string]any, payload []byte, signer crypto.Signer, alg Algorithm, sig []byte) []byte {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	input := signingInput(h, payload, 512)
	if signer != nil {
		if sig, err = signInput(signer, alg, input, nil); err != nil {
			t.Fatal(err)
		}
	}
	return assemble(input, sig)
}

// wantErr asserts that err is a *vc.Error of problem type problem caused by cause.
func wantErr(t *testing.T, err, problem, cause error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v / %v", problem, cause)
	}
	var e *vc.Error
	if !errors.As(err, &e) {
		t.Fatalf("err %T (%v) is not *vc.Error", err, err)
	}
	if !errors.Is(err, problem) || !errors.Is(err, cause) {
		t.Fatalf("err = %v, want %v and %v", err, problem, cause)
	}
}

// flipSignature returns a copy of a compact JWS with one bit of its signature changed.
func flipSignature(tok []byte) []byte {
	i := bytes.LastIndexByte(tok, '.')
	sig, _ := b64.DecodeString(string(tok[i+1:]))
	sig[0] ^= 1
	return b64.AppendEncode(bytes.Clone(tok[:i+1]), sig)
}
