package issuer_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// TestConcurrentIssuance issues from several goroutines at once: every credential gets its own
// index in each list, and every one is recorded.
func TestConcurrentIssuance(t *testing.T) {
	e := issuertest.New(t)
	const workers, each = 4, 8
	issued := issueConcurrently(t, e, workers, each)
	seen := map[string]bool{}
	for _, out := range issued {
		for _, s := range out.Status {
			k := fmt.Sprintf("%s/%d", s.ListID, s.Index)
			if seen[k] {
				t.Errorf("index %s given out twice", k)
			}
			seen[k] = true
		}
	}
	if len(seen) != 2*workers*each || len(auditEntries(t, e)) != workers*each {
		t.Errorf("%d indexes, %d audit entries", len(seen), len(auditEntries(t, e)))
	}
}

func TestRevokeAllForDID(t *testing.T) {
	e := issuertest.New(t)
	ctx := context.Background()
	agent := e.KakuninAgent(t, "compromised", false)
	out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(agent), Caller: e.Caller})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.Issuer.RevokeAllForDID(ctx, agent, "keyCompromise"); err != nil || n != 1 {
		t.Fatalf("%d %v", n, err)
	}
	if listBit(t, e, out, status.Revocation) != 1 {
		t.Error("not revoked")
	}
	if n, err := e.Issuer.SuspendAllForDID(ctx, "did:example:none", "x"); err != nil || n != 0 {
		t.Errorf("unknown DID: %d %v", n, err)
	}
}

// issueConcurrently issues each credentials from each of workers goroutines at once
// and returns those issued; a failed issuance fails t.
func issueConcurrently(t *testing.T, e *issuertest.Env, workers, each int) []*issuer.Issued {
	t.Helper()
	var mu sync.Mutex
	var issued []*issuer.Issued
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				out, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{
					Credential: issuertest.Credential(e.Agent), Caller: e.Caller})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				issued = append(issued, out)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return issued
}
