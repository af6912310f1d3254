package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/verifier"
)

// HTTP clients of the CA, the issuer and a relying party, as issue #7's "done
// when" test (testCascade) drives them.

// verifyResult is the part of a VC API verification result (with results) the
// cascade tests read.
type verifyResult struct {
	Verified       bool `json:"verified"`
	ProblemDetails []struct {
		Type string `json:"type"`
	} `json:"problemDetails"`
	Results struct {
		ValidFrom        *checked  `json:"validFrom"`
		ValidUntil       *checked  `json:"validUntil"`
		CredentialSchema []checked `json:"credentialSchema"`
		CredentialStatus []checked `json:"credentialStatus"`
		Proof            []checked `json:"proof"`
		CredentialSubj   []checked `json:"credentialSubject"`
	} `json:"results"`
}

type checked struct {
	Verified bool   `json:"verified"`
	Value    uint64 `json:"value"` // of a status entry
}

// allChecks names every check of the verifier, so that a verification runs them all.
var allChecks = []string{verifier.CheckProof, verifier.CheckValidity, verifier.CheckStatus,
	verifier.CheckSubject, verifier.CheckSchema}

func (r verifyResult) hasProblem(name string) bool {
	return slices.ContainsFunc(r.ProblemDetails, func(p struct {
		Type string `json:"type"`
	}) bool {
		return p.Type == verifier.ProblemTypeBase+name
	})
}

func (r verifyResult) suspended() bool { return r.hasProblem("SUSPENDED") }

// failed names the checks whose results did not pass or are missing: proof,
// validity (validFrom and validUntil), status and schema, each of which must have
// a result. The subject check has no VCALM result: it shows only as a problem.
func (r verifyResult) failed() []string {
	var out []string
	all := func(cs []checked) bool {
		return len(cs) > 0 && !slices.ContainsFunc(cs, func(c checked) bool { return !c.Verified })
	}
	res := r.Results
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{verifier.CheckProof, all(res.Proof)},
		{verifier.CheckValidity, res.ValidFrom != nil && res.ValidFrom.Verified && res.ValidUntil != nil && res.ValidUntil.Verified},
		{verifier.CheckStatus, all(res.CredentialStatus)},
		{verifier.CheckSchema, all(res.CredentialSchema)},
		{verifier.CheckSubject, all(res.CredentialSubj)},
	} {
		if !c.ok {
			out = append(out, c.name)
		}
	}
	return out
}

// credentialKind is a credential type the issuer's convenience endpoints build.
type credentialKind struct {
	name, path string
	body       func(agent string) map[string]any // the request, for the agent's DID
}

var (
	scopeKind = credentialKind{"scope", "/credentials/issue/scope", func(agent string) map[string]any {
		return map[string]any{"agent": agent, "validitySeconds": 3600,
			"delegator": map[string]any{"id": "did:web:acme.example", "name": "Acme"},
			"grants":    []any{map[string]any{"actions": []string{"payments:create"}}}}
	}}
	// complianceKind's evidence is the example of spec/credentials.md §5.3: neither
	// the issuer nor the verifier fetches the log it names.
	complianceKind = credentialKind{"compliance", "/credentials/issue/compliance", func(agent string) map[string]any {
		parts := strings.Split(agent, ":") // did:kakunin:model:prompt:owner
		return map[string]any{"agent": agent, "validitySeconds": 3600, "claims": map[string]any{
			"frameworks":      map[string]any{"euAiAct": map[string]any{"riskClass": "limited", "article12Logging": true}},
			"modelProvenance": map[string]any{"modelDigest": parts[2], "promptDigest": parts[3]},
			"assessor":        map[string]any{"id": "did:web:assessor.example"},
			"assessmentDate":  "2026-01-10T09:00:00Z",
			"evidence": []any{map[string]any{"type": []string{"KakuninAuditLogEvidence"},
				"log":            "https://kakunin.example.com/log",
				"checkpoint":     map[string]any{"origin": "kakunin.example.com/log", "treeSize": 1024, "rootHash": "RzIJh/mknVsAEZuWDyR6lWdz9XVDmCuL/LbaW7Ov2e8="},
				"inclusionProof": map[string]any{"leafIndex": 1017, "leafHash": "n5EWH0NDPkmm3m22gNefYBWfLkrJFyYhoShGQoFYRAs="}}},
		}}
	}}
)

// postIssue asks the issuer for a credential of kind to did and returns the
// status and body.
func postIssue(t *testing.T, in *instance, token string, kind credentialKind, did string) (int, []byte) {
	t.Helper()
	body, err := json.Marshal(kind.body(did))
	if err != nil {
		t.Fatal(err)
	}
	code, _, out := fetch(t, http.MethodPost, in.base+kind.path, "application/json", token, body)
	return code, out
}

// issue issues a credential of kind to did through the VC API.
func issue(t *testing.T, in *instance, token string, kind credentialKind, did string) json.RawMessage {
	t.Helper()
	code, out := postIssue(t, in, token, kind, did)
	var issued struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(out, &issued); code != http.StatusCreated || err != nil || len(issued.VerifiableCredential) == 0 {
		t.Fatalf("issue %s credential: %d %s", kind.name, code, out)
	}
	return issued.VerifiableCredential
}

// issueScope issues a scope credential to did through the VC API.
func issueScope(t *testing.T, in *instance, token, did string) json.RawMessage {
	t.Helper()
	return issue(t, in, token, scopeKind, did)
}

// verifyVC verifies cred as a relying party, with every check, asking for the
// results.
func verifyVC(t *testing.T, in *instance, cred json.RawMessage) verifyResult {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"verifiableCredential": cred,
		"options": map[string]any{"checks": allChecks, "returnResults": true}})
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/verify", "application/json", "", req)
	var r verifyResult
	if err := json.Unmarshal(out, &r); code != http.StatusOK || err != nil {
		t.Fatalf("verify: %d %s", code, out)
	}
	return r
}

// enrol enrols a new agent under the demo owner through the CA's HTTP API.
func enrol(t *testing.T, in *instance, token string) enrolled {
	t.Helper()
	code, _, body := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/enroll", "application/json", token, enrolBody(t))
	var e enrolled
	if err := json.Unmarshal(body, &e); code != http.StatusCreated || err != nil ||
		!strings.HasPrefix(e.DID, "did:kakunin:") || e.SerialNumber == "" {
		t.Fatalf("enrol: %d %s", code, body)
	}
	return e
}

// revokeCert revokes the certificate of serial number serial (hexadecimal) of the
// demo owner through the CA's HTTP API.
func revokeCert(t *testing.T, in *instance, token, serial string) {
	t.Helper()
	body := fmt.Appendf(nil, `{"serialNumber":%q,"reason":"keyCompromise"}`, serial)
	if code, _, out := fetch(t, http.MethodPost, in.base+"/ca/owners/demo/revoke", "application/json", token, body); code/100 != 2 {
		t.Fatalf("revoke %s: %d %s", serial, code, out)
	}
}

// certifiedKeys resolves did through the server and counts the certified keys
// of its document.
func certifiedKeys(t *testing.T, in *instance, did string) int {
	t.Helper()
	code, ctype, body := fetch(t, http.MethodGet, in.base+"/1.0/identifiers/"+did, "application/did-resolution", "", nil)
	var r resolution
	if err := json.Unmarshal(body, &r); code != http.StatusOK || !strings.HasPrefix(ctype, "application/did-resolution") || err != nil {
		t.Fatalf("resolve %s: %d %s %s", did, code, ctype, body)
	}
	return r.x5cKeys()
}
