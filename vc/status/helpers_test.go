package status

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

const (
	testIssuer  = "did:example:12345"
	testListURL = "https://example.com/credentials/status/3"
)

// Examples of the Recommendation, quoted from its text.
const (
	// specEncodedList is the encodedList of §2.2 Example 3 and §A.2 Example 5.
	specEncodedList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
	// specListCredential is §2.2 Example 3.
	specListCredential = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2"
  ],
  "id": "https://example.com/credentials/status/3",
  "type": ["VerifiableCredential", "BitstringStatusListCredential"],
  "issuer": "did:example:12345",
  "validFrom": "2021-04-05T14:27:40Z",
  "credentialSubject": {
    "id": "https://example.com/status/3#list",
    "type": "BitstringStatusList",
    "statusPurpose": "revocation",
    "encodedList": "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
  }
}`
	// specCredential is §2.1 Example 1.
	specCredential = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2"
  ],
  "id": "https://example.com/credentials/23894672394",
  "type": ["VerifiableCredential", "EmployeeIdCredential"],
  "issuer": "did:example:12345",
  "validFrom": "2024-04-05T14:27:42Z",
  "credentialStatus": [{
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://example.com/credentials/status/3"
  }, {
    "id": "https://example.com/credentials/status/4#23452",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "suspension",
    "statusListIndex": "23452",
    "statusListCredential": "https://example.com/credentials/status/4"
  }],
  "credentialSubject": {
    "id": "did:example:6789",
    "type": "Person",
    "employeeId": "A-123456"
  }
}`
	// specMessageEntry is the entry of §2.1 Example 2, with the elided fourth message added.
	specMessageEntry = `{
    "id": "https://example.com/credentials/status/8#492847",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "message",
    "statusListIndex": "492847",
    "statusSize": 2,
    "statusListCredential": "https://example.com/credentials/status/8",
    "statusMessage": [
        {"status":"0x0", "message":"pending_review"},
        {"status":"0x1", "message":"accepted"},
        {"status":"0x2", "message":"rejected"},
        {"status":"0x3", "message":"undefined"}
    ],
    "statusReference": "https://example.org/status-dictionary/"
  }`
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// clock is an injected clock that tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeNet serves documents by URL and counts fetches.
type fakeNet struct {
	mu      sync.Mutex
	docs    map[string][]byte
	fetches int
}

func (n *fakeNet) Fetch(_ context.Context, url string) ([]byte, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.fetches++
	doc, ok := n.docs[url]
	if !ok {
		return nil, errors.New("404 not found")
	}
	return doc, nil
}

func (n *fakeNet) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.fetches
}

// errBadProof is what rejectingVerifier returns.
var errBadProof = errors.New("proof does not verify")

// parseOnly stands in for the proof layer: it accepts any conforming credential.
var parseOnly = VerifierFunc(func(_ context.Context, doc Document) (*Verified, error) {
	c, err := vc.ParseCredential(doc.Body, vc.ParseOptions{})
	if err != nil {
		return nil, err
	}
	return &Verified{Credential: c}, nil
})

var rejectingVerifier = VerifierFunc(func(context.Context, Document) (*Verified, error) {
	return nil, errBadProof
})

func mustNew(tb testing.TB, bits int) *Bitstring {
	tb.Helper()
	b, err := New(bits)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// listDoc builds and serializes an unsigned list credential.
func listDoc(tb testing.TB, p ListParams, bits *Bitstring) []byte {
	tb.Helper()
	c, err := NewListCredential(p, bits)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := c.MarshalJSON()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func listParams(purposes ...Purpose) ListParams {
	return ListParams{ID: testListURL, Issuer: testIssuer, Purposes: purposes, ValidFrom: testNow.Add(-time.Hour)}
}

// credentialWith builds a credential of testIssuer with the given credentialStatus value.
func credentialWith(tb testing.TB, status any) *vc.Credential {
	tb.Helper()
	doc := map[string]any{
		"@context":          []any{vc.ContextV2},
		"type":              []any{"VerifiableCredential"},
		"issuer":            testIssuer,
		"credentialSubject": map[string]any{"id": "did:example:agent"},
		"credentialStatus":  status,
	}
	data, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := vc.ParseCredential(data, vc.ParseOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func entryObject(tb testing.TB, e Entry) map[string]any {
	tb.Helper()
	m, err := e.Object()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func decodeJSON(tb testing.TB, s string) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		tb.Fatal(err)
	}
	return m
}
