package ca_test

import (
	"bytes"
	"context"
	"crypto"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/store"
)

// nonceTransport serves OCSP from the CA like caTransport and keeps, for each answer,
// the nonce read from its responseExtensions and whether the CA called it cacheable.
type nonceTransport struct {
	caTransport
	t         *testing.T
	mu        sync.Mutex
	nonces    [][]byte
	cacheable bool
}

func (n *nonceTransport) Post(ctx context.Context, url, _ string, body []byte, _ int64) ([]byte, error) {
	resp, err := n.ca.OCSP(ctx, ownerOfURL(url), body)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.nonces = append(n.nonces, responseNonce(n.t, resp.DER))
	n.cacheable = n.cacheable || resp.Cacheable
	return resp.DER, nil
}

// TestOCSPNonceInterop runs a revocation Checker that sends RFC 8954 nonces against
// this CA's responder, which echoes them in responseExtensions: Good before the
// revocation, Revoked after it, each answer freshly signed over its own nonce.
func TestOCSPNonceInterop(t *testing.T) {
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
		t.Run(h.String(), func(t *testing.T) {
			e := newEnv(t, ca.Options{})
			ctx := context.Background()
			issued := e.enroll(ed25519Key(t, "agent"))
			tr := &nonceTransport{caTransport: caTransport{e.ca}, t: t}
			check := func() (revocation.Result, error) {
				c := revocation.New(revocation.Options{Now: e.clock.Now, Transport: tr, OCSPNonce: true, OCSPHash: h, DisableCRL: true})
				return c.Check(ctx, issued.Certificate, e.owner.Certificate)
			}
			if r, err := check(); err != nil || r.Status != revocation.Good || r.Source != revocation.SourceOCSP {
				t.Fatalf("before revocation: %+v, %v", r, err)
			}
			err := e.ca.Revoke(ctx, ca.RevokeRequest{Owner: ownerID, Tenant: tenant, Serial: issued.Certificate.SerialNumber, Reason: store.ReasonKeyCompromise})
			if err != nil {
				t.Fatal(err)
			}
			r, err := check()
			if err != nil || r.Status != revocation.Revoked || r.Reason != int(store.ReasonKeyCompromise) {
				t.Fatalf("after revocation: %+v, %v", r, err)
			}
			if len(tr.nonces) != 2 || len(tr.nonces[0]) != 32 || len(tr.nonces[1]) != 32 || bytes.Equal(tr.nonces[0], tr.nonces[1]) || tr.cacheable {
				t.Fatalf("answers carried nonces %x (cacheable %v), want two different 32-octet nonces, none cacheable", tr.nonces, tr.cacheable)
			}
		})
	}
}
