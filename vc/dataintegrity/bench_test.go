package dataintegrity

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"strconv"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// The benchmarks issue and verify the ~25-quad test credential (issuer object,
// BitstringStatusListEntry, did:key issuer), from and to JSON bytes.
func benchSuite(b *testing.B, suite string, curve elliptic.Curve) (k testKey, doc []byte, signed []byte, opts ProofOptions) {
	k = newTestKey(b, curve)
	proc := testProcessor(b)
	doc = mustJSON(b, credential(b, k))
	opts = ProofOptions{Cryptosuite: suite, VerificationMethod: k.vm, Created: testNow, JSONLD: proc}
	signed, err := AddProof(doc, k.signer, opts)
	if err != nil {
		b.Fatal(err)
	}
	return k, doc, signed, opts
}

func benchIssue(b *testing.B, suite string, curve elliptic.Curve) {
	k, doc, _, opts := benchSuite(b, suite, curve)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AddProof(doc, k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, suite string, curve elliptic.Curve) {
	_, _, signed, opts := benchSuite(b, suite, curve)
	vo := VerifyOptions{Resolver: key.Resolver{}, JSONLD: opts.JSONLD, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(context.Background(), signed, vo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueEdDSARDFC(b *testing.B)      { benchIssue(b, EdDSARDFC2022, nil) }
func BenchmarkVerifyEdDSARDFC(b *testing.B)     { benchVerify(b, EdDSARDFC2022, nil) }
func BenchmarkIssueEdDSAJCS(b *testing.B)       { benchIssue(b, EdDSAJCS2022, nil) }
func BenchmarkVerifyEdDSAJCS(b *testing.B)      { benchVerify(b, EdDSAJCS2022, nil) }
func BenchmarkIssueECDSAJCSP256(b *testing.B)   { benchIssue(b, ECDSAJCS2019, elliptic.P256()) }
func BenchmarkVerifyECDSAJCSP256(b *testing.B)  { benchVerify(b, ECDSAJCS2019, elliptic.P256()) }
func BenchmarkIssueECDSARDFCP256(b *testing.B)  { benchIssue(b, ECDSARDFC2019, elliptic.P256()) }
func BenchmarkVerifyECDSARDFCP256(b *testing.B) { benchVerify(b, ECDSARDFC2019, elliptic.P256()) }

// BenchmarkIssueEdDSARDFCFresh issues credentials that differ in id, subject
// and status entry each time, as an issuer does: the shape stays, the values
// change (the status entry id is a new https IRI every time).
func BenchmarkIssueEdDSARDFCFresh(b *testing.B) {
	k, _, _, opts := benchSuite(b, EdDSARDFC2022, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		doc := credential(b, k)
		n := strconv.Itoa(i)
		doc["id"] = "urn:uuid:3978344f-8596-4c3a-a978-" + n
		doc["credentialSubject"].(map[string]any)["id"] = "did:example:agent-" + n
		status := doc["credentialStatus"].(map[string]any)
		status["id"], status["statusListIndex"] = "https://issuer.example/status/3#"+n, n
		if _, err := Sign(doc, k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONGoldToRDF is the yardstick of the figures above on a loaded
// machine: json-gold's own toRDF of the same credential (about 0.39 ms on the
// machines the peers' figures come from), contexts served from memory.
func BenchmarkJSONGoldToRDF(b *testing.B) {
	k := newTestKey(b, nil)
	doc := credential(b, k)
	l, err := jsonld.NewLoader(map[string][]byte{examplesV2URL: []byte(examplesV2)})
	if err != nil {
		b.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	proc := ld.NewJsonLdProcessor()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := proc.ToRDF(doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignatureFloor measures the signature primitives alone over 64
// bytes of hash data: the floor under the issue and verify figures.
func BenchmarkSignatureFloor(b *testing.B) {
	for _, c := range []struct {
		name  string
		curve elliptic.Curve
		h     crypto.Hash
	}{{"Ed25519", nil, crypto.SHA256}, {"P-256", elliptic.P256(), crypto.SHA256}} {
		k := newTestKey(b, c.curve)
		data := make([]byte, 64)
		sig, err := sign(k.signer, nil, c.h, data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/sign", func(b *testing.B) {
			for b.Loop() {
				if _, err := sign(k.signer, nil, c.h, data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/verify", func(b *testing.B) {
			for b.Loop() {
				if !verifySignature(k.signer.Public(), c.h, data, sig) {
					b.Fatal("no")
				}
			}
		})
	}
}

// serviceCredentialJSON is a credential in the shape the service issues: the base context
// alone, a revocation and a suspension entry. Its proof configuration has proofPurpose as a
// vocabulary term no @vocab catches.
const serviceCredentialJSON = `{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "id": "urn:uuid:49ddf26e-da50-4213-b21c-a0f05c66c341",
  "type": ["VerifiableCredential"],
  "issuer": "ISSUER",
  "name": "Example credential",
  "description": "A credential whose terms the base context defines.",
  "validFrom": "2026-03-01T12:00:00Z",
  "validUntil": "2026-05-30T12:00:00Z",
  "credentialSubject": {"id": "did:key:z6MkmwNLm4T58LULZjf1Xj9KYGZUpSyT7pGEbo8DnmcBohDJ"},
  "credentialStatus": [{
    "id": "https://issuer.example/status/main/revocation/5e109976#112619",
    "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "112619",
    "statusListCredential": "https://issuer.example/status/main/revocation/5e109976"
  }, {
    "id": "https://issuer.example/status/main/suspension/74efbfe0#53184",
    "type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": "53184",
    "statusListCredential": "https://issuer.example/status/main/suspension/74efbfe0"
  }]
}`

// BenchmarkVerifyEdDSARDFCService and BenchmarkIssueEdDSARDFCService measure the shape the
// service issues and verifies (serviceCredentialJSON), whose document and proof
// configuration both take the template path.
func BenchmarkVerifyEdDSARDFCService(b *testing.B) {
	_, signed, opts := benchService(b)
	vo := VerifyOptions{Resolver: key.Resolver{}, JSONLD: opts.JSONLD, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(context.Background(), signed, vo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueEdDSARDFCService(b *testing.B) {
	k, _, opts := benchService(b)
	doc := decodeJSON(b, []byte(serviceCredentialJSON))
	doc["issuer"] = k.vm[:indexHash(k.vm)]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(doc, k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func benchService(b *testing.B) (testKey, []byte, ProofOptions) {
	k := newTestKey(b, nil)
	doc := decodeJSON(b, []byte(serviceCredentialJSON))
	doc["issuer"] = k.vm[:indexHash(k.vm)]
	opts := ProofOptions{Cryptosuite: EdDSARDFC2022, VerificationMethod: k.vm, Created: testNow, JSONLD: testProcessor(b)}
	signed, err := AddProof(mustJSON(b, doc), k.signer, opts)
	if err != nil {
		b.Fatal(err)
	}
	return k, signed, opts
}
