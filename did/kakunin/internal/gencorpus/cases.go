package main

import (
	"crypto"
	"crypto/elliptic"
	"crypto/x509"
	"net/url"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

type gen struct {
	seed    string
	id      kakunin.ID
	owner   *issued // self-signed owner CA holding the DID's owner key
	issuing *issued // issuing CA under the owner CA
	files   map[string][]*issued
}

var (
	caFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	caTo   = time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)
	// agentFrom starts every agent certificate's 24 hours an hour before baseTime.
	agentFrom = baseTime.Add(-time.Hour)
)

func newGen(seed string, id kakunin.ID) *gen {
	g := &gen{seed: seed, id: id, files: map[string][]*issued{}}
	ok := ownerKey(seed)
	g.owner = sign(caTemplate(seed, "Example Owner CA", ok.Public(), caFrom, caTo), ok.Public(), nil, ok)
	g.issuing = g.ca("Example Issuing CA", g.owner, nil)
	return g
}

// ca issues a CA certificate under parent; edit may change the template.
func (g *gen) ca(name string, parent *issued, edit func(*x509.Certificate)) *issued {
	k := ed25519Key(g.seed, name)
	t := caTemplate(g.seed, name, k.Public(), caFrom, caTo)
	if edit != nil {
		edit(t)
	}
	return sign(t, k.Public(), parent, k)
}

// agent issues an agent certificate for id with a P-256 key under parent.
func (g *gen) agent(name string, id kakunin.ID, parent *issued, edit func(*x509.Certificate)) *issued {
	return g.agentKey(name, id, parent, ecdsaKey(g.seed, name, elliptic.P256()), edit)
}

func (g *gen) agentKey(name string, id kakunin.ID, parent *issued, key crypto.Signer, edit func(*x509.Certificate)) *issued {
	t := agentTemplate(g.seed, name, id, key.Public(), agentFrom)
	if edit != nil {
		edit(t)
	}
	return sign(t, key.Public(), parent, nil)
}

// add records a chain file and returns the case verifying it against the corpus DID
// at baseTime.
func (g *gen) add(name, want string, chain ...*issued) Case {
	g.files[name+".pem"] = chain
	return Case{Name: name, Chain: name + ".pem", DID: g.id.String(), Time: rfc3339(baseTime), Want: want}
}

func (g *gen) otherID(model byte) kakunin.ID {
	m := g.id.ModelDigest()
	m[0] ^= model
	return must(kakunin.New(m, g.id.PromptDigest(), g.id.OwnerKey()))
}

func (g *gen) cases() []Case {
	std := func(name, want string, edit func(*x509.Certificate)) Case {
		return g.add(name, want, g.agent(name, g.id, g.issuing, edit), g.issuing, g.owner)
	}
	cases := []Case{
		std("good", "", nil),
		g.add("good-direct", "", g.agent("good-direct", g.id, g.owner, nil), g.owner),
		g.add("good-ed25519", "", g.agentKey("good-ed25519", g.id, g.issuing, ed25519Key(g.seed, "good-ed25519"), nil), g.issuing, g.owner),
		g.add("good-p384", "", g.agentKey("good-p384", g.id, g.issuing, ecdsaKey(g.seed, "good-p384", elliptic.P384()), nil), g.issuing, g.owner),
		g.add("good-rsa2048", "", g.agentKey("good-rsa2048", g.id, g.issuing, rsaKey(g.seed, "good-rsa2048", 2048), nil), g.issuing, g.owner),
		withTime(std("expired", "ErrExpired", nil), baseTime.Add(48*time.Hour)),
		withTime(std("not-yet-valid", "ErrNotYetValid", nil), baseTime.Add(-48*time.Hour)),
		std("san-missing", "ErrSANMissing", func(c *x509.Certificate) { c.URIs = c.URIs[1:] }),
		std("san-mismatch", "ErrSANMismatch", func(c *x509.Certificate) { c.URIs[0] = must(url.Parse(g.otherID(1).String())) }),
		std("san-duplicate", "ErrSANDuplicate", func(c *x509.Certificate) { c.URIs = append(c.URIs, must(url.Parse(g.otherID(2).String()))) }),
		std("ca-as-leaf", "ErrNotEndEntity", func(c *x509.Certificate) { c.IsCA = true }),
		std("no-basic-constraints", "ErrNotEndEntity", func(c *x509.Certificate) { c.BasicConstraintsValid = false }),
		std("missing-eku", "ErrExtKeyUsage", func(c *x509.Certificate) { c.ExtKeyUsage = nil }),
		std("server-eku-only", "ErrExtKeyUsage", func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }),
		std("key-usage-encipherment", "ErrKeyUsage", func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }),
		std("no-agent-policy", "ErrAgentPolicy", func(c *x509.Certificate) { c.Policies = nil }),
		std("digests-missing", "ErrDigestsMissing", func(c *x509.Certificate) { c.ExtraExtensions = nil }),
		std("digests-mismatch", "ErrDigestsMismatch", func(c *x509.Certificate) { c.ExtraExtensions[0] = kakunin.DigestsExtension(g.otherID(3)) }),
		std("unknown-critical-extension", "ErrCriticalExtension", func(c *x509.Certificate) { c.ExtraExtensions = append(c.ExtraExtensions, exampleArcExtension()) }),
		std("serial-too-long", "ErrSerialNumber", func(c *x509.Certificate) { c.SerialNumber = serial(g.seed, "long", 21) }),
		std("validity-over-cap", "ErrValidityTooLong", func(c *x509.Certificate) { c.NotAfter = c.NotBefore.Add(48 * time.Hour) }),
		withMaxValidity(std("validity-within-configured-cap", "", func(c *x509.Certificate) { c.NotAfter = c.NotBefore.Add(48 * time.Hour) }), 72*time.Hour),
		std("no-ski", "ErrKeyIdentifier", func(c *x509.Certificate) { c.SubjectKeyId = nil }),
		std("no-crl-distribution-point", "ErrRevocationInfo", func(c *x509.Certificate) { c.CRLDistributionPoints = nil }),
		std("no-ocsp", "ErrRevocationInfo", func(c *x509.Certificate) { c.OCSPServer = nil }),
		g.add("rsa-1024", "ErrKeyType", g.agentKey("rsa-1024", g.id, g.issuing, rsaKey(g.seed, "rsa-1024", 1024), nil), g.issuing, g.owner),
		g.add("p224", "ErrKeyType", g.agentKey("p224", g.id, g.issuing, ecdsaKey(g.seed, "p224", elliptic.P224()), nil), g.issuing, g.owner),
	}
	return append(cases, g.chainCases()...)
}

func (g *gen) chainCases() []Case {
	other := ownerKey(g.seed + "/other")
	wrongOwner := g.add("wrong-owner-key", "ErrOwnerKeyNotInChain", g.agent("wrong-owner-key", g.id, g.issuing, nil), g.issuing, g.owner)
	wrongOwner.DID = must(kakunin.New(g.id.ModelDigest(), g.id.PromptDigest(), other.Public())).String()

	long := []*issued{g.owner}
	for _, n := range []string{"Long CA 1", "Long CA 2", "Long CA 3", "Long CA 4"} {
		long = append([]*issued{g.ca(n, long[0], nil)}, long...)
	}
	long = append([]*issued{g.agent("too-long-chain", g.id, long[0], nil)}, long...)

	constrained := g.ca("Constrained CA", g.owner, func(c *x509.Certificate) {
		c.PermittedDNSDomainsCritical, c.PermittedDNSDomains = true, []string{"agents.example.com"}
	})
	stranger := g.ca("Unrelated CA", g.owner, nil)
	// forger has the issuing CA's name but its own key.
	fk := ed25519Key(g.seed, "forger")
	forger := sign(caTemplate(g.seed, "Example Issuing CA", fk.Public(), caFrom, caTo), fk.Public(), g.owner, fk)
	return []Case{
		wrongOwner,
		g.add("too-long-chain", "ErrChainTooLong", long...),
		g.add("name-constraints", "ErrNameConstraints", g.agent("name-constraints", g.id, constrained, func(c *x509.Certificate) {
			c.DNSNames = []string{"agent.attacker.example.org"}
		}), constrained, g.owner),
		g.add("extra-certificate", "ErrChainMismatch", g.agent("extra-certificate", g.id, g.issuing, nil), g.issuing, stranger, g.owner),
		g.add("forged-issuer", "ErrUntrusted", g.agent("forged-issuer", g.id, forger, nil), g.issuing, g.owner),
		g.ownerNotCA(),
		g.enterprise("good-enterprise-root", "", false, "trusted"),
		g.enterprise("enterprise-root-not-required", "", false, "notTrusted"),
		g.enterprise("enterprise-root-required", "ErrTrustRoot", true, "notTrusted"),
	}
}

// ownerNotCA: the owner key sits in a certificate without basicConstraints.
func (g *gen) ownerNotCA() Case {
	k := ownerKey(g.seed)
	t := caTemplate(g.seed, "Owner Without basicConstraints", k.Public(), caFrom, caTo)
	t.BasicConstraintsValid, t.IsCA = false, false
	owner := sign(t, k.Public(), nil, k)
	return g.add("owner-not-ca", "ErrNotCA", g.agent("owner-not-ca", g.id, owner, nil), owner)
}

// enterprise: the owner CA is certified by an enterprise root. The trust roots are
// that root when trust is "trusted", another root otherwise.
func (g *gen) enterprise(name, want string, require bool, trust string) Case {
	root := g.ca("Example Enterprise Root", nil, nil)
	other := g.ca("Another Enterprise Root", nil, nil)
	k := ownerKey(g.seed)
	owner := sign(caTemplate(g.seed, "Example Owner CA (enterprise)", k.Public(), caFrom, caTo), k.Public(), root, k)
	c := g.add(name, want, g.agent(name, g.id, owner, nil), owner, root)
	g.files["enterprise-root.pem"] = []*issued{root}
	g.files["another-root.pem"] = []*issued{other}
	c.TrustRoots, c.RequireTrustRoot, c.WantTrust = "enterprise-root.pem", require, trust
	if trust != "trusted" {
		c.TrustRoots = "another-root.pem"
	}
	return c
}

func withTime(c Case, t time.Time) Case { c.Time = rfc3339(t); return c }

func withMaxValidity(c Case, d time.Duration) Case { c.MaxValidity = d.String(); return c }
