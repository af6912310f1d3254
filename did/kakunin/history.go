package kakunin

import (
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// version is the state of a DID right after one registry event (spec §10.3): the
// certificates published up to it and not revoked by it.
type version struct {
	id          int64
	recorded    time.Time // Time of the event
	next        *RegistryEvent
	deactivated bool
	created     time.Time // earliest notBefore of the certificates published so far
	certs       []RegistryCertificate
}

// selectVersion returns how many events make up the version asked for: the
// versionId, the last event at or before versionTime, or all of them. A version
// that does not exist wraps did.ErrNotFound; a malformed versionId wraps
// did.ErrInvalidOptions.
func selectVersion(events []RegistryEvent, opts did.ResolutionOptions) (int, error) {
	switch {
	case opts.VersionID != "":
		n, err := strconv.ParseInt(opts.VersionID, 10, 64)
		if err != nil || n < 1 || strconv.FormatInt(n, 10) != opts.VersionID {
			return 0, fmt.Errorf("%w: versionId %q is not a positive decimal integer", did.ErrInvalidOptions, truncated(opts.VersionID))
		}
		if n > int64(len(events)) {
			return 0, fmt.Errorf("%w: no version %d (latest is %d)", did.ErrNotFound, n, len(events))
		}
		return int(n), nil
	case !opts.VersionTime.IsZero():
		n := 0
		for n < len(events) && !events[n].Time.After(opts.VersionTime) {
			n++
		}
		if n == 0 {
			return 0, fmt.Errorf("%w: the DID had no version at %s", did.ErrNotFound, did.FormatTime(opts.VersionTime))
		}
		return n, nil
	}
	return len(events), nil
}

// replay applies events[:n] to the recorded certificates. Issuance and publication
// add a certificate, revocation removes it, deactivation marks the DID; a link
// changes no certificate (see applyLinks). Events must be numbered 1, 2, 3, … in
// order; a gap wraps did.ErrInternal.
func replay(events []RegistryEvent, n int, certs []RegistryCertificate) (*version, error) {
	v := &version{id: int64(n), recorded: events[n-1].Time}
	if n < len(events) {
		v.next = &events[n]
	}
	index := make(map[string]int, len(certs))
	for j, c := range certs {
		index[certKey(c.IssuerID, c.Serial)] = j
	}
	present := make([]bool, len(certs))
	for i, e := range events[:n] {
		if e.VersionID != int64(i+1) {
			return nil, fmt.Errorf("%w: registry event %d has versionId %d", did.ErrInternal, i+1, e.VersionID)
		}
		if e.Kind == EventDeactivated {
			v.deactivated = true
			continue
		}
		if e.Kind == EventLinked {
			continue
		}
		j, ok := index[certKey(e.IssuerID, e.Serial)]
		if !ok {
			return nil, fmt.Errorf("%w: registry event %d refers to an unknown certificate", did.ErrInternal, e.VersionID)
		}
		switch e.Kind {
		case EventIssued, EventRenewed, EventPublished:
			present[j] = true
			v.created = earliest(v.created, certs[j].NotBefore)
		case EventRevoked:
			present[j] = false
		}
	}
	for j, c := range certs {
		if present[j] {
			v.certs = append(v.certs, c)
		}
	}
	return v, nil
}

// earliest returns the earlier of two times, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// certKey names a certificate by issuer and serial, as events refer to it.
func certKey(issuerID string, serial *big.Int) string {
	if serial == nil {
		return issuerID + "\x00"
	}
	return issuerID + "\x00" + serial.Text(16)
}

func truncated(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
