package compliance_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/compliance"
)

// FuzzParseClaims: no input panics, every error is a *vc.Error, and accepted claims build a
// credential that ParseCompliance reads back to the same claims.
func FuzzParseClaims(f *testing.F) {
	f.Add([]byte(`{` + claimsJSON + `, "evidence": ` + evidenceJSON + `}`))
	f.Add([]byte(`{"frameworks": {"dora": {"ictRiskManagement": true, "incidentLogging": false}}}`))
	f.Add([]byte(`{"evidence": [{"type": ["KakuninAuditLogEvidence"], "checkpoint": {"treeSize": 1e400}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		claims, err := compliance.ParseClaims(data)
		if err != nil {
			var e *vc.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *vc.Error", err)
			}
			return
		}
		from := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
		doc, err := compliance.NewCredential(agent, claims, from, from.AddDate(1, 0, 0))
		if err != nil {
			return // a did:kakunin subject whose digests differ from the claims'
		}
		doc["issuer"] = "did:web:issuer.example"
		b, _ := json.Marshal(doc)
		cred, err := vc.ParseCredential(b, vc.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := compliance.ParseCompliance(cred)
		if err != nil {
			t.Fatal(err)
		}
		if got.Provenance != claims.Provenance || !got.AssessmentDate.Equal(claims.AssessmentDate) || len(got.Evidence) != len(claims.Evidence) {
			t.Fatalf("round trip changed the claims: %+v, want %+v", got.Claims, claims)
		}
	})
}
