package kakunin

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// scenario is a registry with one DID and a resolver over it.
type scenario struct {
	p   *pki
	reg *fakeRegistry
	chk *fakeChecker
	r   *Resolver
}

func newScenario(tb testing.TB, now time.Time) *scenario {
	tb.Helper()
	s := &scenario{p: newPKI(tb, "scenario", nil), reg: newFakeRegistry(), chk: &fakeChecker{revoked: map[string]bool{}, unavailable: map[string]bool{}}}
	s.reg.addOwner(s.p)
	r, err := NewResolver(ResolverOptions{Now: fixedClock(now), Revocation: s.chk, Registry: s.reg,
		Document: DocumentOptions{AuditLogURL: "https://kakunin.example.com/log"}})
	if err != nil {
		tb.Fatal(err)
	}
	s.r = r
	return s
}

func (s *scenario) resolve(tb testing.TB, opts did.ResolutionOptions) (*did.ResolutionResult, Metadata, error) {
	tb.Helper()
	res, err := s.r.Resolve(context.Background(), s.p.id.String(), opts)
	return res, kakuninSection(tb, res), err
}

func kakuninSection(tb testing.TB, res *did.ResolutionResult) Metadata {
	tb.Helper()
	var m Metadata
	if res == nil || res.DIDDocumentMetadata.Method["kakunin"] == nil {
		return m
	}
	if err := json.Unmarshal(res.DIDDocumentMetadata.Method["kakunin"], &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// certMethods returns the ids of the JsonWebKey methods, as "cert-T" fragments.
func certMethods(doc *did.Document) []string {
	var ids []string
	for _, vm := range doc.VerificationMethod {
		if vm.Type == did.TypeJSONWebKey {
			ids = append(ids, vm.ID[strings.IndexByte(vm.ID, '#')+1:])
		}
	}
	return ids
}

func TestResolveCurrent(t *testing.T) {
	now := t0.Add(5 * time.Hour)
	tests := []struct {
		name       string
		setup      func(*testing.T, *scenario) []string // returns the expected cert fragments
		wantActive int
		wantReason string
	}{
		{"one certificate", func(t *testing.T, s *scenario) []string {
			a := s.p.agent(t, "a", t0, nil, nil)
			s.reg.issue(s.p, a, t0)
			return []string{"cert-" + Thumbprint(a)}
		}, 1, ""},
		{"two certificates", func(t *testing.T, s *scenario) []string {
			a, b := s.p.agent(t, "a", t0, nil, nil), s.p.agent(t, "b", t0.Add(time.Hour), nil, nil)
			s.reg.issue(s.p, b, t0.Add(time.Hour))
			s.reg.issue(s.p, a, t0.Add(2*time.Hour))
			return []string{"cert-" + Thumbprint(a), "cert-" + Thumbprint(b)}
		}, 2, ""},
		{"revoked by OCSP", func(t *testing.T, s *scenario) []string {
			a, b := s.p.agent(t, "a", t0, nil, nil), s.p.agent(t, "b", t0.Add(time.Hour), nil, nil)
			s.reg.issue(s.p, a, t0)
			s.reg.issue(s.p, b, t0.Add(time.Hour))
			s.chk.revoked[Thumbprint(a)] = true
			return []string{"cert-" + Thumbprint(b)}
		}, 1, ReasonRevoked},
		{"revoked in the registry", func(t *testing.T, s *scenario) []string {
			a, b := s.p.agent(t, "a", t0, nil, nil), s.p.agent(t, "b", t0.Add(time.Hour), nil, nil)
			s.reg.issue(s.p, a, t0)
			s.reg.issue(s.p, b, t0.Add(time.Hour))
			s.reg.revoke(s.p, b, t0.Add(2*time.Hour), 4, time.Time{})
			return []string{"cert-" + Thumbprint(a)}
		}, 1, ""},
		{"revocation unavailable is hard-fail", func(t *testing.T, s *scenario) []string {
			a := s.p.agent(t, "a", t0, nil, nil)
			s.reg.issue(s.p, a, t0)
			s.chk.unavailable[Thumbprint(a)] = true
			return nil
		}, 0, ReasonRevocationUnknown},
		{"all expired", func(t *testing.T, s *scenario) []string {
			a := s.p.agent(t, "a", t0.Add(-48*time.Hour), nil, nil)
			s.reg.issue(s.p, a, t0.Add(-48*time.Hour))
			return nil
		}, 0, ""},
		{"chain not to the owner key", func(t *testing.T, s *scenario) []string {
			other := newPKI(t, "other", nil)
			a := s.p.agent(t, "a", t0, other.owner, other.ownerKey)
			s.reg.issue(s.p, a, t0)
			return nil
		}, 0, ReasonInvalidChain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t, now)
			want := tc.setup(t, s)
			res, m, err := s.resolve(t, did.ResolutionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := certMethods(res.DIDDocument); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("methods %v, want %v", got, want)
			}
			if m.ActiveCertificates != tc.wantActive {
				t.Errorf("activeCertificates %d, want %d", m.ActiveCertificates, tc.wantActive)
			}
			switch {
			case tc.wantReason == "" && len(m.ExcludedCertificates) != 0:
				t.Errorf("excluded %+v, want none", m.ExcludedCertificates)
			case tc.wantReason != "" && (len(m.ExcludedCertificates) != 1 || m.ExcludedCertificates[0].Reason != tc.wantReason):
				t.Errorf("excluded %+v, want one with reason %s", m.ExcludedCertificates, tc.wantReason)
			}
			meta := res.DIDDocumentMetadata
			if meta.Deactivated || meta.VersionID != strconv.Itoa(len(s.reg.events[s.p.id.String()])) || meta.NextVersionID != "" {
				t.Errorf("metadata %+v", meta)
			}
			if m.OwnerCA == nil || m.OwnerCA.SHA256 != Thumbprint(s.p.owner) || m.TrustRoot != "notChecked" {
				t.Errorf("kakunin section %+v", m)
			}
			if _, err := res.DIDDocument.Authorized(s.p.id.String()+"#owner", did.CapabilityInvocation); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestResolveMetadataTimes(t *testing.T) {
	s := newScenario(t, t0.Add(5*time.Hour))
	a, b := s.p.agent(t, "a", t0, nil, nil), s.p.agent(t, "b", t0.Add(time.Hour), nil, nil)
	s.reg.issue(s.p, a, t0)
	s.reg.issue(s.p, b, t0.Add(90*time.Minute))
	s.chk.nextUpdate = t0.Add(12 * time.Hour)
	res, m, err := s.resolve(t, did.ResolutionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	meta := res.DIDDocumentMetadata
	if !meta.Created.Equal(t0) || !meta.Updated.Equal(t0.Add(90*time.Minute)) || meta.VersionID != "2" {
		t.Errorf("created %v updated %v versionId %s", meta.Created, meta.Updated, meta.VersionID)
	}
	if !meta.NextUpdate.Equal(t0.Add(12 * time.Hour)) {
		t.Errorf("nextUpdate %v, want the OCSP nextUpdate", meta.NextUpdate)
	}
	s.chk.nextUpdate = time.Time{}
	res, _, _ = s.resolve(t, did.ResolutionOptions{})
	if !res.DIDDocumentMetadata.NextUpdate.Equal(a.NotAfter) {
		t.Errorf("nextUpdate %v, want the first expiry %v", res.DIDDocumentMetadata.NextUpdate, a.NotAfter)
	}
	if len(m.Revocation) != 2 || m.Revocation[0].Source != "OCSP" {
		t.Errorf("revocation sources %+v", m.Revocation)
	}
}

func TestResolveDeactivated(t *testing.T) {
	s := newScenario(t, t0.Add(5*time.Hour))
	a := s.p.agent(t, "a", t0, nil, nil)
	s.reg.issue(s.p, a, t0)
	s.reg.revoke(s.p, a, t0.Add(time.Hour), 5, time.Time{})
	s.reg.event(s.p.id.String(), EventDeactivated, t0.Add(time.Hour), nil)
	res, _, err := s.resolve(t, did.ResolutionOptions{})
	if !errors.Is(err, did.ErrDeactivated) {
		t.Fatalf("err %v, want ErrDeactivated", err)
	}
	if res == nil || res.DIDDocument == nil || len(res.DIDDocument.VerificationMethod) != 0 || !res.DIDDocumentMetadata.Deactivated {
		t.Fatalf("result %+v", res)
	}
	if p := did.ProblemFor(err); p.Status != 410 {
		t.Errorf("HTTP status %d", p.Status)
	}
	if res.DIDDocumentMetadata.VersionID != "3" || res.DIDResolutionMetadata.Error != nil {
		t.Errorf("metadata %+v %+v", res.DIDDocumentMetadata, res.DIDResolutionMetadata)
	}
	// The version before deactivation still resolves.
	if _, _, err := s.resolve(t, did.ResolutionOptions{VersionID: "1"}); err != nil {
		t.Errorf("version 1: %v", err)
	}
}

func TestResolveErrors(t *testing.T) {
	s := newScenario(t, t0)
	chainOpt := func(v string) map[string]jsontext.Value {
		b, _ := json.Marshal(v)
		return map[string]jsontext.Value{OptionX509Chain: b}
	}
	tests := []struct {
		name  string
		input string
		opts  did.ResolutionOptions
		want  error
	}{
		{"not found", s.p.id.String(), did.ResolutionOptions{}, did.ErrNotFound},
		{"invalid DID", "did:kakunin:abc", did.ResolutionOptions{}, did.ErrInvalidDID},
		{"other method", "did:example:123", did.ResolutionOptions{}, did.ErrInvalidDID},
		{"too long", "did:kakunin:" + strings.Repeat("a", MaxIDLength), did.ResolutionOptions{}, did.ErrInvalidDID},
		{"version id and time", s.p.id.String(), did.ResolutionOptions{VersionID: "1", VersionTime: t0}, did.ErrInvalidOptions},
		{"representation", s.p.id.String(), did.ResolutionOptions{Accept: "text/html"}, did.ErrRepresentationNotSupported},
		{"x509Chain not base64url", s.p.id.String(), did.ResolutionOptions{Method: chainOpt("a+b/")}, did.ErrInvalidOptions},
		{"x509Chain not a string", s.p.id.String(), did.ResolutionOptions{Method: map[string]jsontext.Value{OptionX509Chain: jsontext.Value(`[1]`)}}, did.ErrInvalidOptions},
		{"x509Chain with history", s.p.id.String(), did.ResolutionOptions{VersionID: "1", Method: chainOpt(FormatChainOption([]*x509.Certificate{s.p.owner}))}, did.ErrFeatureNotSupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.r.Resolve(context.Background(), tc.input, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if res == nil || res.DIDResolutionMetadata.Error == nil || res.DIDDocument != nil {
				t.Errorf("error result %+v", res)
			}
		})
	}
	s.reg.err = errors.New("database is down")
	s.reg.issue(s.p, s.p.agent(t, "a", t0, nil, nil), t0)
	if _, _, err := s.resolve(t, did.ResolutionOptions{}); !errors.Is(err, did.ErrInternal) {
		t.Errorf("registry failure: %v", err)
	}
}

func TestResolveCanonicalID(t *testing.T) {
	s := newScenario(t, t0.Add(time.Hour))
	s.reg.issue(s.p, s.p.agent(t, "a", t0, nil, nil), t0)
	d := s.p.id.String()
	upper := "did:kakunin:" + strings.ToUpper(d[len("did:kakunin:"):len("did:kakunin:")+129]) + d[len("did:kakunin:")+129:]
	// The first publication's spelling: the owner key as 64 hex digits of the raw Ed25519 key.
	hexOwner := d[:strings.LastIndexByte(d, ':')+1] + hex.EncodeToString(s.p.id.OwnerKey().(ed25519.PublicKey))
	for _, tc := range []struct{ input, want string }{{d, ""}, {upper, d}, {hexOwner, d}} {
		res, err := s.r.Resolve(context.Background(), tc.input, did.ResolutionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.DIDDocumentMetadata.CanonicalID != tc.want || res.DIDDocument.ID != d {
			t.Errorf("%s: canonicalId %q id %s", tc.input, res.DIDDocumentMetadata.CanonicalID, res.DIDDocument.ID)
		}
	}
}

func TestNewResolverOptions(t *testing.T) {
	chk := &fakeChecker{}
	for _, o := range []ResolverOptions{{Revocation: chk}, {Now: time.Now}, {Now: time.Now, Revocation: chk, MaxCertificates: -1}} {
		if _, err := NewResolver(o); !errors.Is(err, ErrResolverOptions) {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func TestResolveCertificateLimit(t *testing.T) {
	s := newScenario(t, t0.Add(5*time.Hour))
	s.r.opts.MaxCertificates = 1
	s.reg.issue(s.p, s.p.agent(t, "a", t0, nil, nil), t0)
	s.reg.issue(s.p, s.p.agent(t, "b", t0.Add(time.Hour), nil, nil), t0.Add(time.Hour))
	_, m, err := s.resolve(t, did.ResolutionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.ActiveCertificates != 1 || len(m.ExcludedCertificates) != 1 || m.ExcludedCertificates[0].Reason != ReasonLimit {
		t.Errorf("kakunin section %+v", m)
	}
}

// TestGoldenResolution pins whole resolution results (document and metadata) of the
// rotation history and the deactivated and expired cases. Regenerate with
// `go test -run TestGolden -update` (or `make golden`).
func TestGoldenResolution(t *testing.T) {
	cases := []struct {
		file  string
		setup func(*testing.T) *scenario
		opts  did.ResolutionOptions
	}{
		{"rotation-v1.json", rotationScenario, did.ResolutionOptions{VersionID: "1"}},
		{"rotation-v2.json", rotationScenario, did.ResolutionOptions{VersionID: "2", Accept: did.MediaTypeDID}},
		{"rotation-v3.json", rotationScenario, did.ResolutionOptions{VersionID: "3", Accept: did.MediaTypeDIDJSON}},
		{"rotation-current.json", rotationScenario, did.ResolutionOptions{}},
		{"deactivated.json", func(t *testing.T) *scenario {
			s := rotationScenario(t)
			s.reg.event(s.p.id.String(), EventDeactivated, t0.Add(4*time.Hour), nil)
			return s
		}, did.ResolutionOptions{}},
		{"expired.json", func(t *testing.T) *scenario {
			s := newScenario(t, t0.Add(72*time.Hour))
			s.reg.issue(s.p, s.p.agent(t, "a", t0, nil, nil), t0)
			return s
		}, did.ResolutionOptions{}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			s := tc.setup(t)
			res, err := s.r.Resolve(context.Background(), s.p.id.String(), tc.opts)
			if err != nil && !errors.Is(err, did.ErrDeactivated) {
				t.Fatal(err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b)
		})
	}
}

func rotationScenario(t *testing.T) *scenario {
	s, _, _ := rotation(t, 4, time.Time{})
	return s
}
