package ca_test

import (
	"context"
	"crypto"
	"testing"

	"github.com/kakunin-dev/kakunin/ca"
)

// BenchmarkEnroll measures enrolments one after another: CSR check, serial
// allocation, signing (Ed25519 owner), profile check and one durable SQLite
// transaction each.
func BenchmarkEnroll(b *testing.B) {
	e := newEnv(b, ca.Options{})
	req := ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(b, ed25519Key(b, "agent")), DID: e.did().String()}
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.ca.Enroll(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnrollParallel measures concurrent enrolments, whose transactions the
// store group-commits: eight goroutines per core.
func BenchmarkEnrollParallel(b *testing.B) {
	e := newEnv(b, ca.Options{})
	req := ca.EnrollRequest{Owner: ownerID, Tenant: tenant, CSR: csrFor(b, ed25519Key(b, "agent")), DID: e.did().String()}
	ctx := context.Background()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.ca.Enroll(ctx, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// ocspBench returns a CA with one certificate and a warm cached answer to req.
func ocspBench(b *testing.B) (*env, []byte) {
	e := newEnv(b, ca.Options{})
	issued := e.enroll(ed25519Key(b, "agent"))
	req := ocspRequest(b, issued.Certificate, e.owner.Certificate, crypto.SHA1, nil)
	if resp, err := e.ca.OCSP(context.Background(), ownerID, req); err != nil || !resp.Cacheable {
		b.Fatalf("warming the cache: %v", err)
	}
	return e, req
}

// BenchmarkOCSPCached measures answers to a nonce-less request from the cache: parse
// the request, check the issuer hashes, look up the signed response.
func BenchmarkOCSPCached(b *testing.B) {
	e, req := ocspBench(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.ca.OCSP(ctx, ownerID, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOCSPCachedParallel(b *testing.B) {
	e, req := ocspBench(b)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.ca.OCSP(ctx, ownerID, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkOCSPNonce measures answers that must be signed each time (a nonce):
// registry lookup and an ECDSA P-256 signature.
func BenchmarkOCSPNonce(b *testing.B) {
	e := newEnv(b, ca.Options{})
	issued := e.enroll(ed25519Key(b, "agent"))
	req := ocspRequest(b, issued.Certificate, e.owner.Certificate, crypto.SHA256, make([]byte, 32))
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.ca.OCSP(ctx, ownerID, req); err != nil {
			b.Fatal(err)
		}
	}
}
