package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// checkCredentials issues a credential to the demo agent through the VC API with
// the admin token, verifies it, revokes it by its status entry and sees the
// verifier refuse it; another tenant's token may not issue for the demo owner.
func checkCredentials(t *testing.T, in *instance, admin, other string) {
	t.Helper()
	const id = "urn:uuid:7d3c9e1a-5b0f-4c56-9b2e-1f0a4d6c8e21"
	body := []byte(fmt.Sprintf(`{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],
		"type":["VerifiableCredential"],"credentialSubject":{"id":%q}},"options":{"credentialId":%q}}`, in.did, id))
	if code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue", "application/json", other, body); code != http.StatusForbidden {
		t.Errorf("issue with another tenant's token: %d %s", code, out)
	}
	code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/issue", "application/json", admin, body)
	var issued struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(out, &issued); code != http.StatusCreated || err != nil {
		t.Fatalf("issue: %d %s", code, out)
	}
	verify := func() bool {
		t.Helper()
		req, _ := json.Marshal(map[string]any{"verifiableCredential": issued.VerifiableCredential})
		code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/verify", "application/json", "", req)
		var r struct{ Verified bool }
		if err := json.Unmarshal(out, &r); code != http.StatusOK || err != nil {
			t.Fatalf("verify: %d %s", code, out)
		}
		if !r.Verified {
			t.Logf("verify said no: %s", out)
		}
		return r.Verified
	}
	if !verify() {
		t.Fatal("fresh credential does not verify")
	}
	update := []byte(fmt.Sprintf(`{"credentialId":%q,"status":true,
		"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation"}}`, id))
	if code, _, out := fetch(t, http.MethodPost, in.base+"/credentials/status", "application/json", admin, update); code != http.StatusOK {
		t.Fatalf("status update: %d %s", code, out)
	}
	if verify() {
		t.Error("revoked credential verifies")
	}
}
