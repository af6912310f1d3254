package ca_test

import (
	"context"
	"crypto/x509"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// externalChain is an agent chain issued by another CA (its own store and owner
// key), for the same digests.
func externalChain(t *testing.T) []*x509.Certificate {
	t.Helper()
	db, err := backend.Open(context.Background(), filepath.Join(t.TempDir(), "other.db"), backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	other, err := ca.New(db, ca.Options{BaseURL: "https://other.example.com", Now: (&clock{t: t0}).Now})
	if err != nil {
		t.Fatal(err)
	}
	key := ed25519Key(t, "external owner")
	if _, err := other.InitOwner(context.Background(), ca.OwnerRequest{ID: "ext", Signer: key}); err != nil {
		t.Fatal(err)
	}
	oe := &env{t: t, ca: other, ownerKey: key}
	issued, err := other.Enroll(context.Background(), ca.EnrollRequest{Owner: "ext", CSR: csrFor(t, ed25519Key(t, "ext agent")), DID: oe.did().String()})
	if err != nil {
		t.Fatal(err)
	}
	return issued.Chain
}

func TestPublish(t *testing.T) {
	e := newEnv(t, ca.Options{})
	ctx := context.Background()
	chain := externalChain(t)
	pub, err := e.ca.Publish(ctx, ca.PublishRequest{Chain: chain})
	if err != nil {
		t.Fatal(err)
	}
	events, err := e.db.Events(ctx, pub.ID.String())
	if err != nil || len(events) != 1 || events[0].Kind != store.EventPublished || events[0].IssuerID != pub.IssuerID {
		t.Fatalf("events %+v, %v; want one published event", events, err)
	}
	issuer, err := e.db.Owner(ctx, pub.IssuerID)
	if err != nil || string(issuer.CertDER) != string(chain[1].Raw) || issuer.TenantID != "" {
		t.Fatalf("issuer record %+v, %v", issuer, err)
	}
	if _, err := e.ca.Publish(ctx, ca.PublishRequest{Chain: chain}); !errors.Is(err, ca.ErrConflict) {
		t.Errorf("second Publish = %v, want ErrConflict", err)
	}
}

func TestPublishErrors(t *testing.T) {
	e := newEnv(t, ca.Options{})
	chain := externalChain(t)
	own := e.enroll(ed25519Key(t, "agent"))
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  error
	}{
		{"leaf only", chain[:1], ca.ErrInvalidRequest},
		{"reversed", []*x509.Certificate{chain[1], chain[0]}, ca.ErrChain},
		{"wrong issuer", []*x509.Certificate{chain[0], e.owner.Certificate}, ca.ErrChain},
		{"already issued here", own.Chain, ca.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.ca.Publish(context.Background(), ca.PublishRequest{Chain: tc.chain}); !errors.Is(err, tc.want) {
				t.Fatalf("Publish = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseChainPEM(t *testing.T) {
	e := newEnv(t, ca.Options{})
	issued := e.enroll(ed25519Key(t, "agent"))
	tests := []struct {
		name string
		in   []byte
		n    int
		want error
	}{
		{"chain", issued.PEM(), 2, nil},
		{"empty", nil, 0, ca.ErrInvalidRequest},
		{"trailing text", append(issued.PEM(), "junk"...), 0, ca.ErrInvalidRequest},
		{"wrong block", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0, ca.ErrInvalidRequest},
		{"too large", make([]byte, ca.MaxChainPEM+1), 0, ca.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := ca.ParseChainPEM(tc.in)
			if len(chain) != tc.n || !errors.Is(err, tc.want) {
				t.Fatalf("ParseChainPEM = %d certificates, %v; want %d, %v", len(chain), err, tc.n, tc.want)
			}
		})
	}
}
