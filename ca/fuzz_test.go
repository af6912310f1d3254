package ca_test

import (
	"bytes"
	"context"
	"crypto"
	"testing"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/ca"
)

// FuzzOCSP feeds arbitrary requests to the responder: it must never panic, and
// every answer must parse, as a signed response by the owner's responder or as an
// error status.
func FuzzOCSP(f *testing.F) {
	e := newEnv(f, ca.Options{})
	issued := e.enroll(ed25519Key(f, "agent"))
	f.Add(ocspRequest(f, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil))
	f.Add(ocspRequest(f, issued.Certificate, e.owner.Certificate, crypto.SHA256, []byte("0123456789abcdef")))
	f.Add([]byte{0x30, 0x03, 0x30, 0x01, 0x30})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, req []byte) {
		resp, err := e.ca.OCSP(ctx, ownerID, req)
		if err != nil {
			t.Fatalf("internal error: %v", err)
		}
		if _, err := ocsp.ParseResponse(resp.DER, e.owner.Certificate); err != nil {
			if _, ok := err.(ocsp.ResponseError); !ok {
				t.Fatalf("answer does not parse: %v", err)
			}
		}
	})
}

// FuzzParseCSR: no panic; an accepted CSR is read again, as DER, to the same request.
func FuzzParseCSR(f *testing.F) {
	f.Add(csrFor(f, ed25519Key(f, "agent")))
	f.Add([]byte("-----BEGIN CERTIFICATE REQUEST-----\nMA==\n-----END CERTIFICATE REQUEST-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		csr, err := ca.ParseCSR(data)
		if err != nil {
			return
		}
		again, err := ca.ParseCSR(csr.Raw)
		if err != nil || !bytes.Equal(again.Raw, csr.Raw) || len(csr.Raw) > ca.MaxCSR {
			t.Fatalf("accepted CSR of %d bytes does not read again: %v", len(csr.Raw), err)
		}
	})
}

// FuzzParseChainPEM: no panic; an accepted chain round-trips through PEM.
func FuzzParseChainPEM(f *testing.F) {
	e := newEnv(f, ca.Options{})
	f.Add(e.enroll(ed25519Key(f, "agent")).PEM())
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		chain, err := ca.ParseChainPEM(data)
		if err != nil {
			return
		}
		again, err := ca.ParseChainPEM((&ca.Issued{Chain: chain}).PEM())
		if err != nil || len(again) != len(chain) {
			t.Fatalf("round trip: %d certificates, %v", len(again), err)
		}
		for i := range chain {
			if !again[i].Equal(chain[i]) {
				t.Fatalf("certificate %d changed in the round trip", i)
			}
		}
	})
}
