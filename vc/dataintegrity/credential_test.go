package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
)

// credentialJSON is a ~25-quad VC 2.0 credential: an issuer object, a subject
// with a few claims, a BitstringStatusListEntry and a validity period.
const credentialJSON = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
  "type": ["VerifiableCredential", "ScopeCredential"],
  "issuer": {"id": "ISSUER", "name": "Example Owner Ltd", "description": "Owner of the agent"},
  "validFrom": "2026-11-26T08:00:00Z",
  "validUntil": "2027-11-26T08:00:00Z",
  "name": "Payments scope",
  "description": "Lets the agent pay invoices up to a limit.",
  "credentialSubject": {
    "id": "did:example:agent-7",
    "scope": ["invoices:read", "invoices:pay", "vendors:read"],
    "maxAmount": 5000,
    "currency": "EUR",
    "delegatedBy": "did:example:owner"
  },
  "credentialStatus": {
    "id": "https://issuer.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://issuer.example/status/3"
  }
}`

// testKey is a signing key with its did:key verification method.
type testKey struct {
	signer crypto.Signer
	vm     string
}

func newTestKey(tb testing.TB, curve elliptic.Curve) testKey {
	tb.Helper()
	var k crypto.Signer
	var err error
	if curve == nil {
		_, k, err = ed25519.GenerateKey(rand.Reader)
	} else {
		k, err = ecdsa.GenerateKey(curve, rand.Reader)
	}
	if err != nil {
		tb.Fatal(err)
	}
	id, err := key.New(k.Public())
	if err != nil {
		tb.Fatal(err)
	}
	return testKey{signer: k, vm: id.String() + "#" + id.ID}
}

// credential returns the test credential issued by k's DID.
func credential(tb testing.TB, k testKey) map[string]any {
	tb.Helper()
	doc := decodeJSON(tb, []byte(credentialJSON))
	doc["issuer"].(map[string]any)["id"] = k.vm[:len(k.vm)-len(k.vm[indexHash(k.vm):])]
	return doc
}

func indexHash(s string) int {
	for i := range s {
		if s[i] == '#' {
			return i
		}
	}
	return len(s)
}

// alteredResolver resolves did:key and alters the document before returning it.
type alteredResolver func(d *did.Document)

func (r alteredResolver) Resolve(ctx context.Context, id string, o did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := key.Resolver{}.Resolve(ctx, id, o)
	if err != nil {
		return res, err
	}
	r(res.DIDDocument)
	return res, nil
}

var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
