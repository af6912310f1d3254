package jsonin

import "testing"

// credential2KB is a VC 2.0 credential of about 2 KB, the typical body this package decodes.
const credential2KB = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "ExampleScopeCredential"],
  "name": {"@value": "Agent scope", "@language": "en"},
  "issuer": {"id": "did:web:issuer.example", "name": "Example Issuer"},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2027-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "scope": {
      "actions": ["payments:create", "crm.contacts:read", "GET https://api.example/v1/*"],
      "limits": {"maxAmount": 2500.00, "currency": "EUR", "dailyVolume": 10000, "ratePerMinute": 30},
      "audiences": ["https://bank.example", "https://crm.example"],
      "delegatedBy": "did:web:owner.example",
      "hours": {"from": "08:00", "to": "18:00", "tz": "Europe/Berlin"}
    }
  },
  "credentialStatus": [{
    "id": "https://status.example/lists/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://status.example/lists/3"
  }, {
    "id": "https://status.example/lists/4#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "suspension",
    "statusListIndex": "94567",
    "statusListCredential": "https://status.example/lists/4"
  }],
  "credentialSchema": {"id": "https://schemas.example/scope.json", "type": "JsonSchema"},
  "relatedResource": [{
    "id": "https://www.w3.org/ns/credentials/v2",
    "digestMultibase": "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"
  }],
  "evidence": [{"id": "https://audit.example/checkpoints/1042", "type": ["Evidence", "AuditCheckpoint"]}],
  "termsOfUse": {"type": "TrustFrameworkPolicy", "trustFramework": "Kakunin", "policyId": "https://policy.example/1"},
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2026-01-01T00:00:00Z",
    "verificationMethod": "did:web:issuer.example#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"
  }
}`

func BenchmarkDecode2KB(b *testing.B) {
	data := []byte(credential2KB)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
