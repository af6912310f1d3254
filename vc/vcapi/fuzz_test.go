package vcapi_test

import (
	"net/http"
	"testing"
)

// FuzzEndpoints posts arbitrary bodies to every write and verify endpoint: the answer is
// never a 5xx.
func FuzzEndpoints(f *testing.F) {
	e := newEnv(f)
	paths := []string{"/credentials/issue", "/credentials/issue/scope", "/credentials/issue/compliance",
		"/credentials/status", "/credentials/verify", "/presentations/verify", "/instances/web/credentials/issue",
		"/instances/web/presentations/verify"}
	f.Add(uint8(0), []byte(`{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "credentialSubject": {"id": "`+e.Agent+`"}}}`))
	f.Add(uint8(1), []byte(`{"agent": "`+e.Agent+`", "grants": [{"actions": ["payments:create"]}], "delegator": {"id": "did:web:a.example"}}`))
	f.Add(uint8(3), []byte(`{"credentialId": "x", "status": true, "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}`))
	f.Add(uint8(4), []byte(`{"verifiableCredential": {"type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,a.b.c"}}`))
	f.Add(uint8(5), []byte(`{"verifiablePresentation": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		res, out := e.do(t, http.MethodPost, paths[int(which)%len(paths)], tokenAcme, body)
		if res.StatusCode >= 500 {
			t.Fatalf("%d %s", res.StatusCode, out)
		}
	})
}
