package loadtest

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/resolver"
)

// The did:kakunin target resolves the agent of the did/kakunin corpus chain
// good-direct.pem (agent certificate, owner CA) from an in-memory registry, at
// a time the chain is valid, with a revocation checker that answers Good: the
// chain validation and document derivation run (once, when the resolution is not
// cached), the network does not.
const (
	kakuninDID   = "did:kakunin:c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38:5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"
	kakuninChain = "../../did/kakunin/testdata/corpus/good-direct.pem"
)

var kakuninTime = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func registerKakunin(r *resolver.Registry) error {
	b, err := os.ReadFile(filepath.FromSlash(kakuninChain))
	if err != nil {
		return err
	}
	var certs []*x509.Certificate
	for block, rest := pem.Decode(b); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return err
		}
		certs = append(certs, c)
	}
	if len(certs) != 2 {
		return errors.New("good-direct.pem: want an agent certificate and its owner CA")
	}
	res, err := kakunin.NewResolver(kakunin.ResolverOptions{
		Now:        func() time.Time { return kakuninTime },
		Revocation: goodChecker{},
		Registry:   memRegistry{leaf: certs[0], owner: certs[1]},
	})
	if err != nil {
		return err
	}
	return r.Register("kakunin", res)
}

// memRegistry records one agent certificate, issued once, under its owner CA.
type memRegistry struct{ leaf, owner *x509.Certificate }

func (m memRegistry) CertificatesByDID(context.Context, string) ([]kakunin.RegistryCertificate, error) {
	return []kakunin.RegistryCertificate{{IssuerID: "owner", Serial: m.leaf.SerialNumber, DER: m.leaf.Raw,
		NotBefore: m.leaf.NotBefore, NotAfter: m.leaf.NotAfter}}, nil
}

func (m memRegistry) Events(context.Context, string) ([]kakunin.RegistryEvent, error) {
	return []kakunin.RegistryEvent{{VersionID: 1, Kind: kakunin.EventIssued, Time: m.leaf.NotBefore,
		IssuerID: "owner", Serial: m.leaf.SerialNumber}}, nil
}

func (m memRegistry) OwnerCertificates(context.Context, string) ([][]byte, error) {
	return [][]byte{m.owner.Raw}, nil
}

// goodChecker answers Good for every certificate, as a CA's OCSP responder would
// for a certificate in good standing.
type goodChecker struct{}

func (goodChecker) Check(context.Context, *x509.Certificate, *x509.Certificate) (revocation.Result, error) {
	return revocation.Result{Status: revocation.Good, Source: revocation.SourceOCSP,
		ThisUpdate: kakuninTime, NextUpdate: kakuninTime.Add(time.Hour)}, nil
}

// kakuninClock is the clock of the target's resolver cache: the same fixed time as
// the resolver's, so that results whose nextUpdate is an hour after it stay cached.
func kakuninClock() time.Time { return kakuninTime }
