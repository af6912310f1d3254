package main

import (
	"context"

	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// kakuninRegistry lets the did:kakunin resolver read the store: it converts the
// store's records into the method's own registry types, keeping the method free of
// any storage dependency.
type kakuninRegistry struct{ r store.Reader }

var _ kakunin.Registry = kakuninRegistry{}

func (k kakuninRegistry) CertificatesByDID(ctx context.Context, did string) ([]kakunin.RegistryCertificate, error) {
	certs, err := k.r.CertificatesByDID(ctx, did)
	if err != nil {
		return nil, err
	}
	out := make([]kakunin.RegistryCertificate, len(certs))
	for i, c := range certs {
		out[i] = kakunin.RegistryCertificate{
			IssuerID: c.IssuerID, Serial: c.Serial, DER: c.DER,
			NotBefore: c.NotBefore, NotAfter: c.NotAfter,
			Revoked: c.State == store.CertRevoked, RevokedAt: c.RevokedAt, Reason: int(c.Reason),
		}
	}
	return out, nil
}

func (k kakuninRegistry) Events(ctx context.Context, did string) ([]kakunin.RegistryEvent, error) {
	events, err := k.r.Events(ctx, did)
	if err != nil {
		return nil, err
	}
	out := make([]kakunin.RegistryEvent, len(events))
	for i, e := range events {
		out[i] = kakunin.RegistryEvent{
			VersionID: e.VersionID, Kind: kakunin.EventKind(e.Kind), Time: e.Time,
			IssuerID: e.IssuerID, Serial: e.Serial,
		}
	}
	return out, nil
}

func (k kakuninRegistry) OwnerCertificates(ctx context.Context, ownerKey string) ([][]byte, error) {
	owners, err := k.r.OwnersByKey(ctx, ownerKey)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(owners))
	for i, o := range owners {
		out[i] = o.CertDER
	}
	return out, nil
}

var _ kakunin.LinkRegistry = kakuninRegistry{}

func (k kakuninRegistry) Links(ctx context.Context, did string) ([]kakunin.RegistryLink, error) {
	links, err := k.r.Links(ctx, did)
	if err != nil {
		return nil, err
	}
	out := make([]kakunin.RegistryLink, len(links))
	for i, l := range links {
		out[i] = kakunin.RegistryLink{
			Predecessor: l.Predecessor, Successor: l.Successor,
			PredecessorVersion: l.PredecessorVersion, SuccessorVersion: l.SuccessorVersion,
			Record: l.Record, Signature: l.Signature, SuccessorSignature: l.SuccessorSignature,
		}
	}
	return out, nil
}
