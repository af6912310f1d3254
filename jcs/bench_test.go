package jcs

import "testing"

// credential is a ~1 KB VC 2.0 credential with a Data Integrity proof.
const credential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/kakunin/v1"],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "KakuninScopeCredential"],
  "issuer": {"id": "did:web:issuer.example", "name": "Example Owner"},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2026-02-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:kakunin:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
    "actions": ["payments:create", "crm.contacts:read"],
    "maxAmount": 2500.50,
    "currency": "EUR",
    "ratePerMinute": 60,
    "audience": "https://api.example.com/"
  },
  "credentialStatus": {
    "id": "https://issuer.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://issuer.example/status/3"
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2026-01-01T00:00:00Z",
    "verificationMethod": "did:web:issuer.example#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"
  }
}`

func BenchmarkTransformCredential(b *testing.B) {
	in := []byte(credential)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Transform(in); err != nil {
			b.Fatal(err)
		}
	}
}
