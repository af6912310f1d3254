package compliance_test

import (
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/vc/compliance"
)

func ExampleNewCredential() {
	claims, err := compliance.ParseClaims([]byte(`{
	  "frameworks": {"euAiAct": {"riskClass": "limited", "article12Logging": true}},
	  "modelProvenance": {
	    "modelDigest": "c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38",
	    "promptDigest": "5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071"},
	  "assessor": {"id": "did:web:assessor.example"},
	  "assessmentDate": "2026-01-10T09:00:00Z",
	  "evidence": [{"type": ["KakuninAuditLogEvidence"], "log": "https://kakunin.example.com/log",
	    "checkpoint": {"origin": "kakunin.example.com/log", "treeSize": 8, "rootHash": "RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="},
	    "inclusionProof": {"leafIndex": 7, "leafHash": "n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	doc, err := compliance.NewCredential("did:example:agent", claims, from, from.AddDate(1, 0, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc["type"], doc["validUntil"])

	_, err = compliance.ParseClaims([]byte(`{"frameworks": {"euAiAct": {"riskClass": "minimal", "annexIIIArea": "4", "article12Logging": false}}}`))
	fmt.Println(err)
	// Output:
	// [VerifiableCredential KakuninComplianceCredential] 2027-01-15T00:00:00Z
	// vc: malformed value at /frameworks/euAiAct/annexIIIArea: an Annex III area makes the system high-risk; riskClass must be high
}
