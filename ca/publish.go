package ca

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// MaxChainPEM bounds a published chain in PEM form.
const MaxChainPEM = 64 << 10

// ParseChainPEM reads concatenated PEM CERTIFICATE blocks (at most
// kakunin.MaxChainLengthCeiling of them), the agent certificate first.
func ParseChainPEM(data []byte) ([]*x509.Certificate, error) {
	if len(data) > MaxChainPEM {
		return nil, invalid("chain", fmt.Sprintf("larger than %d bytes", MaxChainPEM), nil)
	}
	var chain []*x509.Certificate
	for {
		block, rest := pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, invalid("chain", "PEM block is not a CERTIFICATE", nil)
		}
		if len(chain) == kakunin.MaxChainLengthCeiling {
			return nil, invalid("chain", fmt.Sprintf("more than %d certificates", kakunin.MaxChainLengthCeiling), nil)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, invalid("chain", "certificate does not parse", err)
		}
		chain, data = append(chain, cert), rest
	}
	if len(chain) == 0 || len(bytes.TrimSpace(data)) != 0 {
		return nil, invalid("chain", "not a PEM certificate chain", nil)
	}
	return chain, nil
}

// PublishRequest publishes an agent certificate chain issued elsewhere.
type PublishRequest struct {
	Chain []*x509.Certificate // the agent certificate first, each followed by its issuer
	Actor string              // who publishes, for the audit log; empty means ActorAnonymous
}

// Published is a recorded external certificate.
type Published struct {
	ID          kakunin.ID
	Certificate *x509.Certificate
	IssuerID    string // the registry id of the certificate's issuer
	VersionID   int64
}

// Publish validates an agent chain with kakunin.VerifyChain (the DID is the
// certificate's SAN DID; the profile cap is Options.MaxValidity) and records the
// agent certificate with a "published" event. Its issuer is recorded as an owner
// the first time, without a tenant, under the id "x509:" followed by 32 hex digits
// of the SHA-256 of its certificate, unless a recorded owner already has that
// certificate. In the same transaction it logs chain.published (digest: SHA-256 of
// the agent certificate's DER), and owner.created for a new issuer record, under
// the issuer record's id as tenant. Anyone may publish: the chain proves itself
// against the DID. Errors
// match ErrInvalidRequest, ErrChain, ErrConflict (already recorded) or
// ErrDeactivated.
func (ca *CA) Publish(ctx context.Context, r PublishRequest) (*Published, error) {
	if len(r.Chain) < 2 {
		return nil, invalid("chain", "needs the agent certificate and its issuer", nil)
	}
	leaf, issuer := r.Chain[0], r.Chain[1]
	id, err := sanDID(leaf)
	if err != nil {
		return nil, err
	}
	now := ca.opts.Now()
	if _, err := kakunin.VerifyChain(r.Chain, id, kakunin.VerifyOptions{CurrentTime: now, MaxValidity: ca.opts.MaxValidity}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrChain, err)
	}
	out := &Published{ID: id, Certificate: leaf}
	actor := firstOf(r.Actor, ActorAnonymous)
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		issuerID, err := issuerRecord(ctx, tx, issuer, actor, now)
		if err != nil {
			return err
		}
		ev, err := recordIssued(ctx, tx, issuerID, id, leaf, store.EventPublished, now)
		if err != nil {
			return err
		}
		out.IssuerID, out.VersionID = issuerID, ev.VersionID
		return logCert(ctx, tx, audit.ChainPublished, who{actor: actor, tenant: issuerID}, id.String(), leaf, now)
	})
	if err != nil {
		return nil, mapStore(err)
	}
	ca.changed(ctx, id.String())
	return out, nil
}

// sanDID returns the did:kakunin of a certificate's SAN URIs.
func sanDID(cert *x509.Certificate) (kakunin.ID, error) {
	for _, u := range cert.URIs {
		if s := u.String(); strings.HasPrefix(s, "did:kakunin:") {
			id, err := kakunin.Parse(s)
			if err != nil {
				return id, fmt.Errorf("%w: %w", ErrChain, err)
			}
			return id, nil
		}
	}
	return kakunin.ID{}, fmt.Errorf("%w: %w", ErrChain, kakunin.ErrSANMissing)
}

// issuerRecord returns the registry id of the issuing CA cert, recording it as an
// owner, and logging owner.created by actor, when it is new.
func issuerRecord(ctx context.Context, tx store.Tx, cert *x509.Certificate, actor string, now time.Time) (string, error) {
	key, err := did.EncodeMultikey(cert.PublicKey)
	if err != nil {
		return "", fmt.Errorf("%w: issuer key: %w", ErrChain, err)
	}
	recs, err := tx.OwnersByKey(ctx, key)
	if err != nil {
		return "", err
	}
	for _, rec := range recs {
		if string(rec.CertDER) == string(cert.Raw) {
			return rec.ID, nil
		}
	}
	sum := sha256.Sum256(cert.Raw)
	id := "x509:" + hex.EncodeToString(sum[:16])
	// No tenant: publishing a chain gives the publisher no control over its owner.
	if err := tx.CreateOwner(ctx, store.Owner{ID: id, OwnerKey: key, CertDER: cert.Raw, Created: now}); err != nil {
		return "", err
	}
	return id, logEntry(ctx, tx, audit.OwnerCreated, who{actor: actor, tenant: id}, "", audit.SHA256(cert.Raw), now)
}
