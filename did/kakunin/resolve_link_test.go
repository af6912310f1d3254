package kakunin

import (
	"context"
	"crypto"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// linkRegistry is a fakeRegistry that also records links.
type linkRegistry struct {
	*fakeRegistry
	links []RegistryLink
}

func (l *linkRegistry) Links(_ context.Context, d string) ([]RegistryLink, error) {
	var out []RegistryLink
	for _, k := range l.links {
		if k.Predecessor == d || k.Successor == d {
			out = append(out, k)
		}
	}
	return out, l.err
}

// link records pred → succ at at, signed by the given keys (the second one only
// when not nil), as a "linked" version of each DID.
func (l *linkRegistry) link(tb testing.TB, pred, succ *pki, at time.Time, first, second crypto.Signer) {
	tb.Helper()
	rec, err := LinkRecord{Predecessor: pred.id.String(), Successor: succ.id.String(), Created: at}.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	k := RegistryLink{Predecessor: pred.id.String(), Successor: succ.id.String(), Record: rec}
	if k.Signature, err = SignLinkRecord(first, rec); err != nil {
		tb.Fatal(err)
	}
	if second != nil {
		if k.SuccessorSignature, err = SignLinkRecord(second, rec); err != nil {
			tb.Fatal(err)
		}
	}
	l.event(pred.id.String(), EventLinked, at, nil)
	l.event(succ.id.String(), EventLinked, at, nil)
	k.PredecessorVersion = int64(len(l.events[pred.id.String()]))
	k.SuccessorVersion = int64(len(l.events[succ.id.String()]))
	l.links = append(l.links, k)
}

// successorPKI is a DID of another prompt under p's owner CA, or under a new
// owner CA when key is not nil.
func successorPKI(tb testing.TB, p *pki, key crypto.Signer) *pki {
	tb.Helper()
	if key != nil {
		return newPKI(tb, "successor", key)
	}
	prompt := sha256.Sum256([]byte("successor/prompt"))
	id, err := New(p.id.ModelDigest(), Digest(prompt), p.ownerKey.Public())
	if err != nil {
		tb.Fatal(err)
	}
	return &pki{id: id, owner: p.owner, ownerKey: p.ownerKey, serial: 100}
}

type linkCase struct {
	reg        *linkRegistry
	chk        *fakeChecker
	pred, succ *pki
	predCert   string // thumbprint of the predecessor's certificate
}

// newLinkCase records a certificate for the predecessor at t0 and for the
// successor at t0+1h; setup then links them (or not).
func newLinkCase(t *testing.T, newOwner crypto.Signer) *linkCase {
	c := &linkCase{reg: &linkRegistry{fakeRegistry: newFakeRegistry()},
		chk: &fakeChecker{revoked: map[string]bool{}, unavailable: map[string]bool{}}}
	c.pred = newPKI(t, "predecessor", nil)
	c.succ = successorPKI(t, c.pred, newOwner)
	c.reg.addOwner(c.pred)
	if newOwner != nil {
		c.reg.addOwner(c.succ)
	}
	a := c.pred.agent(t, "a", t0, nil, nil)
	c.predCert = Thumbprint(a)
	c.reg.issue(c.pred, a, t0)
	c.reg.issue(c.succ, c.succ.agent(t, "b", t0.Add(time.Hour), nil, nil), t0.Add(time.Hour))
	return c
}

func (c *linkCase) resolve(t *testing.T, p *pki, opts did.ResolutionOptions) (*did.ResolutionResult, Metadata) {
	t.Helper()
	r, err := NewResolver(ResolverOptions{Now: fixedClock(t0.Add(5 * time.Hour)), Revocation: c.chk, Registry: c.reg})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Resolve(context.Background(), p.id.String(), opts)
	if err != nil && !errors.Is(err, did.ErrDeactivated) {
		t.Fatalf("Resolve(%s): %v", p.id, err)
	}
	return res, kakuninSection(t, res)
}

func TestResolveLinks(t *testing.T) {
	linkedAt := t0.Add(2 * time.Hour)
	tests := []struct {
		name     string
		newOwner crypto.Signer
		setup    func(*testing.T, *linkCase)
		opts     did.ResolutionOptions
		// what the successor's resolution reports, and the predecessor's successor
		wantPredecessor, wantAlsoKnownAs, wantSuccessor bool
		wantVersion                                     string
	}{
		{"same owner key", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
		}, did.ResolutionOptions{}, true, true, true, "2"},
		{"version before the link", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
		}, did.ResolutionOptions{VersionID: "1"}, false, false, false, "1"},
		{"version of the link", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
		}, did.ResolutionOptions{VersionID: "2"}, true, true, true, "2"},
		{"predecessor revoked", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
			c.chk.revoked[c.predCert] = true
		}, did.ResolutionOptions{}, true, false, true, "2"},
		{"predecessor deactivated", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
			c.reg.event(c.pred.id.String(), EventDeactivated, linkedAt.Add(time.Hour), nil)
		}, did.ResolutionOptions{}, true, false, true, "2"},
		{"signed by another key", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, fixtureEd25519("intruder"), nil)
		}, did.ResolutionOptions{}, false, false, false, "2"},
		{"tampered record", nil, func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
			rec, err := LinkRecord{Predecessor: c.pred.id.String(), Successor: c.succ.id.String(), Created: t0}.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			c.reg.links[0].Record = rec // another record under the original signature
		}, did.ResolutionOptions{}, false, false, false, "2"},
		{"new owner key, both signatures", fixtureP256("new owner"), func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, c.succ.ownerKey)
		}, did.ResolutionOptions{}, true, true, true, "2"},
		{"new owner key, one signature", fixtureP256("new owner"), func(t *testing.T, c *linkCase) {
			c.reg.link(t, c.pred, c.succ, linkedAt, c.pred.ownerKey, nil)
		}, did.ResolutionOptions{}, false, false, false, "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newLinkCase(t, tc.newOwner)
			tc.setup(t, c)
			res, m := c.resolve(t, c.succ, tc.opts)
			if got := m.Predecessor == c.pred.id.String(); got != tc.wantPredecessor || (m.Predecessor != "" && !got) {
				t.Errorf("kakunin.predecessor = %q, want reported %v", m.Predecessor, tc.wantPredecessor)
			}
			wantAKA := []string(nil)
			if tc.wantAlsoKnownAs {
				wantAKA = []string{c.pred.id.String()}
			}
			if !slices.Equal(res.DIDDocument.AlsoKnownAs, wantAKA) {
				t.Errorf("alsoKnownAs = %v, want %v", res.DIDDocument.AlsoKnownAs, wantAKA)
			}
			if res.DIDDocumentMetadata.VersionID != tc.wantVersion {
				t.Errorf("versionId = %q, want %q", res.DIDDocumentMetadata.VersionID, tc.wantVersion)
			}
			if m.Successor != "" {
				t.Errorf("the successor's kakunin.successor = %q, want none", m.Successor)
			}
			predRes, pm := c.resolve(t, c.pred, tc.opts)
			if got := pm.Successor == c.succ.id.String(); got != tc.wantSuccessor || (pm.Successor != "" && !got) {
				t.Errorf("predecessor's kakunin.successor = %q, want reported %v", pm.Successor, tc.wantSuccessor)
			}
			if pm.Predecessor != "" || len(predRes.DIDDocument.AlsoKnownAs) != 0 {
				t.Errorf("predecessor reports predecessor %q, alsoKnownAs %v; want neither", pm.Predecessor,
					predRes.DIDDocument.AlsoKnownAs)
			}
		})
	}
}

func TestResolveLinkWithoutActiveSuccessor(t *testing.T) {
	c := newLinkCase(t, nil)
	c.reg.link(t, c.pred, c.succ, t0.Add(2*time.Hour), c.pred.ownerKey, nil)
	r, err := NewResolver(ResolverOptions{Now: fixedClock(t0.Add(30 * time.Hour)), Revocation: c.chk, Registry: c.reg})
	if err != nil {
		t.Fatal(err)
	}
	// At t0+30h both certificates have expired: the link is still reported, but
	// alsoKnownAs needs valid certificates on both sides.
	res, err := r.Resolve(context.Background(), c.succ.id.String(), did.ResolutionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m := kakuninSection(t, res); m.Predecessor != c.pred.id.String() || len(res.DIDDocument.AlsoKnownAs) != 0 {
		t.Errorf("predecessor %q, alsoKnownAs %v; want the predecessor and no alsoKnownAs", m.Predecessor,
			res.DIDDocument.AlsoKnownAs)
	}
}

// TestResolveLinkNextUpdate: the successor's document changes when the
// predecessor's last valid certificate ends (alsoKnownAs goes), before its own
// certificate does.
func TestResolveLinkNextUpdate(t *testing.T) {
	c := newLinkCase(t, nil)
	res, _ := c.resolve(t, c.succ, did.ResolutionOptions{})
	if want := t0.Add(25 * time.Hour); !res.DIDDocumentMetadata.NextUpdate.Equal(want) {
		t.Fatalf("nextUpdate before the link = %v, want %v", res.DIDDocumentMetadata.NextUpdate, want)
	}
	c.reg.link(t, c.pred, c.succ, t0.Add(2*time.Hour), c.pred.ownerKey, nil)
	res, _ = c.resolve(t, c.succ, did.ResolutionOptions{})
	if want := t0.Add(24 * time.Hour); !res.DIDDocumentMetadata.NextUpdate.Equal(want) {
		t.Errorf("nextUpdate after the link = %v, want %v (the predecessor's certificate ends)", res.DIDDocumentMetadata.NextUpdate, want)
	}
}

// TestResolveLinkPredecessorGap: a predecessor whose registry history does not
// replay (a gap in its versions) fails the successor's resolution with
// ErrInternal instead of dropping alsoKnownAs from a document that would be
// cached.
func TestResolveLinkPredecessorGap(t *testing.T) {
	c := newLinkCase(t, nil)
	c.reg.link(t, c.pred, c.succ, t0.Add(2*time.Hour), c.pred.ownerKey, nil)
	c.reg.events[c.pred.id.String()][0].VersionID = 7
	r, err := NewResolver(ResolverOptions{Now: fixedClock(t0.Add(5 * time.Hour)), Revocation: c.chk, Registry: c.reg})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Resolve(context.Background(), c.succ.id.String(), did.ResolutionOptions{})
	if !errors.Is(err, did.ErrInternal) {
		t.Fatalf("Resolve = %+v, %v; want ErrInternal", res, err)
	}
}
