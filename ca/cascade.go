package ca

import (
	"context"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// changed calls Options.OnChange for each DID, after a commit.
func (ca *CA) changed(ctx context.Context, dids ...string) {
	if ca.opts.OnChange == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, d := range dids {
		ca.opts.OnChange(ctx, d)
	}
}

// revoked calls Options.OnChange and Options.OnRevoke for did, after a commit.
func (ca *CA) revoked(ctx context.Context, did string, reason Reason) {
	ca.changed(ctx, did)
	if ca.opts.OnRevoke != nil {
		ca.opts.OnRevoke(context.WithoutCancel(ctx), did, reason)
	}
}

// Revocation is a DID whose agent was revoked: it holds no good unexpired
// certificate, and its latest revocation was not a rotation's supersession.
type Revocation struct {
	DID    string
	Reason Reason    // of the latest revocation
	At     time.Time // of the latest revocation
}

// Revocations returns the DIDs of agents that the loaded owners revoked (or
// deactivated) and that hold no good unexpired certificate since, for the
// revocations still listed on the owners' CRLs (the certificate expired less than
// Options.CRLValidity ago). Options.OnRevoke runs after the commit, so a crash can
// lose it; a server re-applies its idempotent effect to these DIDs at start and
// periodically. A DID whose revoked certificate was replaced by a good one is not
// listed: its agent was re-enrolled.
func (ca *CA) Revocations(ctx context.Context) ([]Revocation, error) {
	now := ca.opts.Now()
	cutoff := now.Add(-ca.opts.CRLValidity)
	seen := map[string]bool{}
	var out []Revocation
	for _, o := range ca.loaded() {
		certs, err := ca.db.RevokedCertificates(ctx, o.id)
		if err != nil {
			return nil, mapStore(err)
		}
		for _, c := range certs {
			if seen[c.DID] || c.NotAfter.Before(cutoff) {
				continue
			}
			seen[c.DID] = true
			r, ok, err := ca.revocationOf(ctx, c.DID, now)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// revocationOf reports the latest revocation of did when did holds no good
// unexpired certificate and that revocation was not a supersession.
func (ca *CA) revocationOf(ctx context.Context, did string, now time.Time) (Revocation, bool, error) {
	certs, err := ca.db.CertificatesByDID(ctx, did)
	if err != nil {
		return Revocation{}, false, mapStore(err)
	}
	var latest *store.Certificate
	for i, c := range certs {
		if c.State == store.CertGood && now.Before(c.NotAfter) {
			return Revocation{}, false, nil
		}
		if c.State == store.CertRevoked && (latest == nil || !c.RevokedAt.Before(latest.RevokedAt)) {
			latest = &certs[i]
		}
	}
	if latest == nil || latest.Reason == store.ReasonSuperseded {
		return Revocation{}, false, nil
	}
	return Revocation{DID: did, Reason: latest.Reason, At: latest.RevokedAt}, true, nil
}
