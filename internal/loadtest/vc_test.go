package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// TestVCRequests sends a few requests of each VC scenario to the stack on every
// backend and requires every answer to be good: an issued credential with an
// eddsa-rdfc-2022 proof and two status entries, a verification that says verified
// (status checked); a refused token, a tampered credential and a credential revoked
// after it verified are not counted good.
func TestVCRequests(t *testing.T) {
	for _, b := range vcBackends {
		t.Run(b.name, func(t *testing.T) {
			s := startVC(t, b.dsn(t))
			c := NewClient(4)
			ctx := context.Background()
			issue := s.issueRequest(t, c)
			for i := range 3 {
				if st, err := issue(ctx); st != http.StatusOK || err != nil {
					t.Fatalf("issue %d: %d %v", i, st, err)
				}
			}
			creds := s.preIssue(t, 2)
			verify := s.verifyRequest(t, c, creds)
			for i := range 3 {
				if st, err := verify(ctx); st != http.StatusOK || err != nil {
					t.Fatalf("verify %d: %d %v", i, st, err)
				}
			}
			var first struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(creds[0], &first); err != nil {
				t.Fatal(err)
			}
			if err := s.issuer.Revoke(ctx, first.ID, vcCaller); err != nil {
				t.Fatal(err)
			}
			if _, err := s.verifyRequest(t, c, creds[:1])(ctx); !errors.Is(err, ErrRejected) {
				t.Errorf("revoked credential: err %v, want ErrRejected", err)
			}
			bad := s.verifyRequest(t, c, []json.RawMessage{tampered(t, s.preIssue(t, 1)[0])})
			if _, err := bad(ctx); !errors.Is(err, ErrRejected) {
				t.Errorf("tampered credential: err %v, want ErrRejected", err)
			}
			noAuth, err := Post(c, s.base+"/credentials/issue", nil, func() []byte { return vcCredential }, issuedOK)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := noAuth(ctx); st != http.StatusUnauthorized || !errors.Is(err, ErrRejected) {
				t.Errorf("issue without a token: %d %v, want 401 and ErrRejected", st, err)
			}
		})
	}
}

// tampered changes the subject of a signed credential.
func tampered(t *testing.T, vc json.RawMessage) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(vc, &m); err != nil {
		t.Fatal(err)
	}
	m["credentialSubject"] = map[string]any{"id": "did:example:someone-else"}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPostRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://localhost:1/x", "http://10.0.0.1/x", "http://[::1]:1/x"} {
		if _, err := Post(http.DefaultClient, u, nil, nil, nil); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("%s: err %v, want ErrNotLoopback", u, err)
		}
	}
}
