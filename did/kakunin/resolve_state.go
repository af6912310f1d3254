package kakunin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

// registryState resolves the version asked for from the registry's events and
// certificates. The current version is checked with live revocation answers; a past
// version with the registry's revocation records (spec §10.3).
func (r *Resolver) registryState(ctx context.Context, id ID, opts did.ResolutionOptions) (*resolution, error) {
	d, reg := id.String(), r.opts.Registry
	events, err := reg.Events(ctx, d)
	if err != nil {
		return nil, registryError(err)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%w: no certificate was ever published for %s", did.ErrNotFound, d)
	}
	n, err := selectVersion(events, opts)
	if err != nil {
		return nil, err
	}
	certs, err := reg.CertificatesByDID(ctx, d)
	if err != nil {
		return nil, registryError(err)
	}
	v, err := replay(events, n, certs)
	if err != nil {
		return nil, err
	}
	owners, err := r.ownerCAs(ctx, id)
	if err != nil {
		return nil, err
	}
	st := versionResolution(v, opts, r.opts.Now())
	if !v.deactivated {
		if err := r.evaluate(ctx, st, id, v.certs, owners); err != nil {
			return nil, err
		}
	}
	if st.ownerCA == nil && len(owners) > 0 {
		st.ownerCA = owners[len(owners)-1]
	}
	if err := r.applyLinks(ctx, st, id, v); err != nil {
		return nil, err
	}
	return st, nil
}

// versionResolution starts the resolution of version v: its resolution time (the
// version's own time for versionId, versionTime, else now) and its metadata.
func versionResolution(v *version, opts did.ResolutionOptions, now time.Time) *resolution {
	st := newResolution(now)
	st.historical = opts.VersionID != "" || !opts.VersionTime.IsZero()
	switch {
	case opts.VersionID != "":
		st.at = v.recorded
	case !opts.VersionTime.IsZero():
		st.at = opts.VersionTime
	}
	st.meta.VersionID = strconv.FormatInt(v.id, 10)
	if v.next != nil {
		st.meta.NextVersionID, st.nextVersion = strconv.FormatInt(v.next.VersionID, 10), v.next.Time
	}
	st.meta.Created, st.meta.Updated, st.meta.Deactivated = v.created, v.recorded, v.deactivated
	return st
}

func registryError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: registry: %w", did.ErrInternal, err)
}

// ownerCAs returns the registry's owner CA certificates for the DID's owner key.
func (r *Resolver) ownerCAs(ctx context.Context, id ID) ([]*x509.Certificate, error) {
	ders, err := r.opts.Registry.OwnerCertificates(ctx, id.OwnerMultikey())
	if err != nil {
		return nil, registryError(err)
	}
	owners := make([]*x509.Certificate, 0, len(ders))
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("%w: registry owner CA: %w", did.ErrInternal, err)
		}
		owners = append(owners, c)
	}
	return owners, nil
}

// evaluate validates the certificates of a version at st.at, oldest first.
// Certificates outside their recorded validity at st.at are skipped: expiry is the
// normal end of a certificate, not an anomaly to report.
func (r *Resolver) evaluate(ctx context.Context, st *resolution, id ID, certs []RegistryCertificate, owners []*x509.Certificate) error {
	certs = slices.Clone(certs)
	slices.SortStableFunc(certs, func(a, b RegistryCertificate) int { return a.NotBefore.Compare(b.NotBefore) })
	checked := 0
	for _, c := range certs {
		if !c.recordedValidAt(st.at) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if checked == r.opts.MaxCertificates {
			st.exclude(nil, thumbprintDER(c.DER), ReasonLimit, nil)
			continue
		}
		checked++
		r.evaluateOne(ctx, st, id, c, owners)
	}
	return nil
}

func (r *Resolver) evaluateOne(ctx context.Context, st *resolution, id ID, c RegistryCertificate, owners []*x509.Certificate) {
	leaf, err := x509.ParseCertificate(c.DER)
	if err != nil {
		st.exclude(nil, thumbprintDER(c.DER), ReasonMalformed, err)
		return
	}
	switch {
	case st.historical && c.withdrawnAt(st.at):
		st.exclude(leaf, "", ReasonRevoked, errors.New("revoked for keyCompromise with an invalidity date at or before the resolution time"))
		return
	case !st.historical && c.Revoked:
		st.exclude(leaf, "", ReasonRevoked, errors.New("revoked in the registry"))
		return
	}
	v, err := VerifyChain(chainFor(leaf, owners), id, r.verifyOptions(st.at))
	if err != nil {
		st.exclude(leaf, "", chainReason(err), err)
		return
	}
	if st.historical {
		st.admit(v, RevocationUsed{Thumbprint: Thumbprint(leaf), Source: "registry"}, time.Time{})
		return
	}
	r.checkRevocation(ctx, st, v)
}

// checkRevocation admits v when the checker answers Good; anything else excludes it
// (hard-fail, spec §7.2 step 3).
func (r *Resolver) checkRevocation(ctx context.Context, st *resolution, v *Verified) {
	t := Thumbprint(v.Leaf())
	res, err := r.opts.Revocation.Check(ctx, v.Leaf(), v.Chain[1])
	switch {
	case err != nil:
		st.exclude(nil, t, ReasonRevocationUnknown, err)
	case res.Status == revocation.Revoked:
		st.exclude(nil, t, ReasonRevoked, fmt.Errorf("revoked at %s (%s)", did.FormatTime(res.RevokedAt), res.Source))
	case res.Status != revocation.Good:
		st.exclude(nil, t, ReasonRevocationUnknown, fmt.Errorf("status %s (%s)", res.Status, res.Source))
	default:
		st.admit(v, RevocationUsed{Thumbprint: t, Source: res.Source.String(), URL: res.URL,
			ThisUpdate: formatTime(res.ThisUpdate), NextUpdate: formatTime(res.NextUpdate),
			Cached: res.Cached, Stale: res.Stale}, res.NextUpdate)
	}
}

// chainFor is leaf followed by the owner CA that issued it, matched by name and key
// identifier. Without a match the chain is the leaf alone, which VerifyChain
// rejects with ErrOwnerKeyNotInChain.
func chainFor(leaf *x509.Certificate, owners []*x509.Certificate) []*x509.Certificate {
	for _, o := range slices.Backward(owners) {
		if bytes.Equal(leaf.RawIssuer, o.RawSubject) && bytes.Equal(leaf.AuthorityKeyId, o.SubjectKeyId) {
			return []*x509.Certificate{leaf, o}
		}
	}
	return []*x509.Certificate{leaf}
}

func chainReason(err error) string {
	if errors.Is(err, ErrExpired) || errors.Is(err, ErrNotYetValid) {
		return ReasonExpired
	}
	return ReasonInvalidChain
}

func thumbprintDER(der []byte) string {
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return did.FormatTime(t)
}
