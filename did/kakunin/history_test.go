package kakunin

import (
	"crypto/x509"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// rotation is the history v1: A issued, v2: B issued, v3: A revoked (reason), at t0,
// t0+2h, t0+4h; the resolver's clock is t0+5h.
func rotation(t testing.TB, reason int, invalidity time.Time) (s *scenario, a, b *x509.Certificate) {
	s = newScenario(t, t0.Add(5*time.Hour))
	a, b = s.p.agent(t, "a", t0, nil, nil), s.p.agent(t, "b", t0.Add(2*time.Hour), nil, nil)
	s.reg.issue(s.p, a, t0)
	s.reg.issue(s.p, b, t0.Add(2*time.Hour))
	s.reg.revoke(s.p, a, t0.Add(4*time.Hour), reason, invalidity)
	return s, a, b
}

func TestResolveHistory(t *testing.T) {
	const superseded, keyCompromise = 4, 1
	type want struct {
		certs               []string // "a", "b"
		versionID, next     string
		updated, nextUpdate time.Time
	}
	tests := []struct {
		name       string
		reason     int
		invalidity time.Duration // after t0; 0: none
		opts       did.ResolutionOptions
		want       want
	}{
		{"current", superseded, 0, did.ResolutionOptions{}, want{[]string{"b"}, "3", "", t0.Add(4 * time.Hour), t0.Add(26 * time.Hour)}},
		{"version 1", superseded, 0, did.ResolutionOptions{VersionID: "1"}, want{[]string{"a"}, "1", "2", t0, t0.Add(2 * time.Hour)}},
		{"version 2", superseded, 0, did.ResolutionOptions{VersionID: "2"}, want{[]string{"a", "b"}, "2", "3", t0.Add(2 * time.Hour), t0.Add(4 * time.Hour)}},
		{"version 3", superseded, 0, did.ResolutionOptions{VersionID: "3"}, want{[]string{"b"}, "3", "", t0.Add(4 * time.Hour), t0.Add(26 * time.Hour)}},
		{"time in version 2", superseded, 0, did.ResolutionOptions{VersionTime: t0.Add(3 * time.Hour)}, want{[]string{"a", "b"}, "2", "3", t0.Add(2 * time.Hour), t0.Add(4 * time.Hour)}},
		{"time at version 3", superseded, 0, did.ResolutionOptions{VersionTime: t0.Add(4 * time.Hour)}, want{[]string{"b"}, "3", "", t0.Add(4 * time.Hour), t0.Add(26 * time.Hour)}},
		{"time after A expired", superseded, 0, did.ResolutionOptions{VersionTime: t0.Add(25 * time.Hour)}, want{[]string{"b"}, "3", "", t0.Add(4 * time.Hour), t0.Add(26 * time.Hour)}},
		{"compromise withdraws A from version 2", keyCompromise, time.Hour, did.ResolutionOptions{VersionID: "2"}, want{[]string{"b"}, "2", "3", t0.Add(2 * time.Hour), t0.Add(4 * time.Hour)}},
		{"compromise after the version time", keyCompromise, 3 * time.Hour, did.ResolutionOptions{VersionTime: t0.Add(150 * time.Minute)}, want{[]string{"a", "b"}, "2", "3", t0.Add(2 * time.Hour), t0.Add(4 * time.Hour)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var inv time.Time
			if tc.invalidity != 0 {
				inv = t0.Add(tc.invalidity)
			}
			s, a, b := rotation(t, tc.reason, inv)
			res, m, err := s.resolve(t, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]string{"cert-" + Thumbprint(a): "a", "cert-" + Thumbprint(b): "b"}
			var got []string
			for _, f := range certMethods(res.DIDDocument) {
				got = append(got, names[f])
			}
			meta := res.DIDDocumentMetadata
			if !slices.Equal(got, tc.want.certs) {
				t.Errorf("certificates %v, want %v", got, tc.want.certs)
			}
			if meta.VersionID != tc.want.versionID || meta.NextVersionID != tc.want.next {
				t.Errorf("versionId %q nextVersionId %q", meta.VersionID, meta.NextVersionID)
			}
			if !meta.Updated.Equal(tc.want.updated) || !meta.NextUpdate.Equal(tc.want.nextUpdate) || !meta.Created.Equal(t0) {
				t.Errorf("created %v updated %v nextUpdate %v", meta.Created, meta.Updated, meta.NextUpdate)
			}
			historical := tc.opts.VersionID != "" || !tc.opts.VersionTime.IsZero()
			if historical && (len(m.Revocation) == 0 || m.Revocation[0].Source != "registry") {
				t.Errorf("past versions use the registry's revocation records: %+v", m.Revocation)
			}
		})
	}
}

// TestResolveHistoryNoLiveRevocation: past versions never ask OCSP or CRLs, so an
// unreachable responder does not change them (spec §10.3).
func TestResolveHistoryNoLiveRevocation(t *testing.T) {
	s, a, b := rotation(t, 4, time.Time{})
	s.chk.unavailable[Thumbprint(a)], s.chk.unavailable[Thumbprint(b)] = true, true
	if _, m, err := s.resolve(t, did.ResolutionOptions{VersionID: "2"}); err != nil || m.ActiveCertificates != 2 {
		t.Fatalf("version 2: %v, %+v", err, m)
	}
	if s.chk.calls != 0 {
		t.Errorf("%d live revocation checks for a past version", s.chk.calls)
	}
}

func TestResolveHistoryErrors(t *testing.T) {
	s, _, _ := rotation(t, 4, time.Time{})
	for _, tc := range []struct {
		opts did.ResolutionOptions
		want error
	}{
		{did.ResolutionOptions{VersionID: "4"}, did.ErrNotFound},
		{did.ResolutionOptions{VersionID: "0"}, did.ErrInvalidOptions},
		{did.ResolutionOptions{VersionID: "01"}, did.ErrInvalidOptions},
		{did.ResolutionOptions{VersionID: "x"}, did.ErrInvalidOptions},
		{did.ResolutionOptions{VersionTime: t0.Add(-time.Second)}, did.ErrNotFound},
	} {
		if _, _, err := s.resolve(t, tc.opts); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.opts, err, tc.want)
		}
	}
}

func TestReplayRejectsGaps(t *testing.T) {
	events := []RegistryEvent{{VersionID: 1, Kind: EventDeactivated, Time: t0}, {VersionID: 3, Kind: EventDeactivated, Time: t0}}
	if _, err := replay(events, 2, nil); !errors.Is(err, did.ErrInternal) {
		t.Errorf("gap: %v", err)
	}
	events = []RegistryEvent{{VersionID: 1, Kind: EventIssued, Time: t0, IssuerID: "x"}}
	if _, err := replay(events, 1, nil); !errors.Is(err, did.ErrInternal) {
		t.Errorf("unknown certificate: %v", err)
	}
}
