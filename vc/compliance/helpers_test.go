package compliance_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
)

const (
	modelDigest  = "c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38"
	promptDigest = "5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071"
	agent        = "did:kakunin:" + modelDigest + ":" + promptDigest + ":z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"
)

// claimsJSON are the members of a complete compliance claim set, as ParseClaims reads them.
const claimsJSON = `
  "frameworks": {
    "euAiAct": {"articles": ["6(2)", "12", "14"], "riskClass": "high", "annexIIIArea": "5(b)",
                "humanOversight": "human-on-the-loop", "article12Logging": true},
    "mica": {"articles": ["72", "76"], "controls": ["conflicts-of-interest", "order-thresholds", "trading-halt"]},
    "gdpr": {"articles": ["22"], "automatedDecisions": true, "legalBasis": "contract",
             "safeguards": ["human-intervention", "contest-decision"]},
    "dora": {"articles": ["6", "17"], "ictRiskManagement": true, "incidentLogging": true}
  },
  "modelProvenance": {"modelDigest": "` + modelDigest + `", "promptDigest": "` + promptDigest + `",
                      "modelName": "acme-credit-7b", "modelVersion": "2026.01", "modelCard": "https://models.acme.example/credit-7b"},
  "assessor": {"id": "did:web:assessor.example", "name": "Example Conformity Assessment GmbH"},
  "assessmentDate": "2026-01-10T09:00:00Z"`

const evidenceJSON = `[{
    "type": ["KakuninAuditLogEvidence"],
    "log": "https://kakunin.example.com/log",
    "checkpoint": {"origin": "kakunin.example.com/log", "treeSize": 1024, "rootHash": "RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="},
    "inclusionProof": {"leafIndex": 1017, "leafHash": "n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}
  }]`

func credential() string {
	return `{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://kakunin.dev/ns/v1"],
	  "type": ["VerifiableCredential", "KakuninComplianceCredential"],
	  "issuer": "did:web:issuer.example",
	  "validFrom": "2026-01-15T00:00:00Z",
	  "validUntil": "2027-01-15T00:00:00Z",
	  "credentialSubject": {"id": "` + agent + `",` + claimsJSON + `},
	  "evidence": ` + evidenceJSON + `
	}`
}

func parse(t testing.TB, doc string) *compliance.Compliance {
	t.Helper()
	c, err := vc.ParseCredential([]byte(doc), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := compliance.ParseCompliance(c)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func parseErr(doc string) error {
	c, err := vc.ParseCredential([]byte(doc), vc.ParseOptions{})
	if err != nil {
		return err
	}
	_, err = compliance.ParseCompliance(c)
	return err
}
