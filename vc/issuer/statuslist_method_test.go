package issuer_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
)

// TestStatusListMethodUnavailable: when the instance's verification method cannot be looked
// up (its own DID does not resolve for a moment), a fresh signed copy of unchanged bits is
// still served, whatever method signed it; once the bits change, the list cannot be signed
// and the error is returned rather than a stale list.
func TestStatusListMethodUnavailable(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	d, err := key.New(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := d.String()
	signer := &renewingSigner{PrivateKey: priv, di: id + "#cert-1-multikey", jwk: id + "#cert-1"}
	is, err := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: &issuertest.Resolver{},
		BaseURL: issuertest.BaseURL, Now: func() time.Time { return issuertest.Start }},
		issuer.Instance{Name: "agent", DID: id, VerificationMethod: id + "#cert-0-multikey", Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out, err := is.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(id)})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Status[0]
	first, err := is.StatusListCredential(ctx, "agent", s.Purpose, s.ListID)
	if err != nil {
		t.Fatal(err)
	}
	signer.set("", "", did.ErrNotFound)
	again, err := is.StatusListCredential(ctx, "agent", s.Purpose, s.ListID)
	if err != nil || string(again.Body) != string(first.Body) {
		t.Fatalf("unchanged list while the method is unavailable: %v", err)
	}
	if err := is.SetStatus(ctx, out.ID, s.Purpose, true, issuer.Caller{ID: "op", Operator: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := is.StatusListCredential(ctx, "agent", s.Purpose, s.ListID); !errors.Is(err, did.ErrNotFound) {
		t.Fatalf("changed list while the method is unavailable: %v, want the method's error", err)
	}
}
