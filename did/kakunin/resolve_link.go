package kakunin

import (
	"context"
	"time"
)

// applyLinks reports the links of version v of id whose signatures verify (spec
// §7.3, §10.2): a link counts from the version it added to the DID. A link that
// fails verification is not reported, as if it were not recorded. On the
// successor's document, which must have an active certificate, the predecessor
// is listed in alsoKnownAs while it has one too.
func (r *Resolver) applyLinks(ctx context.Context, st *resolution, id ID, v *version) error {
	lr, ok := r.opts.Registry.(LinkRegistry)
	if !ok {
		return nil
	}
	d := id.String()
	links, err := lr.Links(ctx, d)
	if err != nil {
		return registryError(err)
	}
	for _, l := range links {
		switch {
		case l.Predecessor == d && l.PredecessorVersion <= v.id && l.Verify() == nil:
			st.successor = l.Successor
		case l.Successor == d && l.SuccessorVersion <= v.id && l.Verify() == nil:
			st.predecessor = l.Predecessor
		}
	}
	if st.predecessor == "" || v.deactivated || len(st.active) == 0 {
		return nil
	}
	until, err := r.validUntil(ctx, st, st.predecessor)
	if !until.IsZero() {
		// The document changes when the predecessor's last valid certificate ends.
		st.alsoKnownAs, st.expiry = []string{st.predecessor}, earliest(st.expiry, until)
	}
	return err
}

// validUntil returns the latest notAfter of the agent certificates of the DID
// pred that, at st's resolution time and in pred's version of that time, pass
// chain validation and revocation checking as the DID's own certificates do (live
// answers for the current version, the registry's records for a past one); zero
// when there is none or pred is deactivated. A history of pred that does not
// replay is an error (did.ErrInternal), not the absence of a certificate.
func (r *Resolver) validUntil(ctx context.Context, st *resolution, pred string) (time.Time, error) {
	id, err := Parse(pred)
	if err != nil {
		return time.Time{}, nil
	}
	reg := r.opts.Registry
	events, err := reg.Events(ctx, pred)
	if err != nil {
		return time.Time{}, registryError(err)
	}
	n := 0
	for n < len(events) && (!st.historical || !events[n].Time.After(st.at)) {
		n++
	}
	if n == 0 {
		return time.Time{}, nil
	}
	certs, err := reg.CertificatesByDID(ctx, pred)
	if err != nil {
		return time.Time{}, registryError(err)
	}
	v, err := replay(events, n, certs)
	if err != nil {
		return time.Time{}, err // a registry gap: no answer rather than a document without alsoKnownAs
	}
	if v.deactivated {
		return time.Time{}, nil
	}
	owners, err := r.ownerCAs(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	sub := newResolution(st.at)
	sub.historical = st.historical
	if err := r.evaluate(ctx, sub, id, v.certs, owners); err != nil {
		return time.Time{}, err
	}
	var until time.Time
	for _, chain := range sub.active {
		if chain[0].NotAfter.After(until) {
			until = chain[0].NotAfter
		}
	}
	return until, nil
}
