package loadtest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json/jsontext"
	"errors"
	"math/big"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
	"github.com/kakunin-dev/kakunin/resolver"
)

// The uncached did:kakunin target resolves from a three-certificate P-256 chain
// (owner CA → issuing CA → agent) sent with each request as the x509Chain method
// option (spec §10.1), at a fixed time inside the chain's validity. Each request
// parses the chain, validates it, asks the revocation checker (the real one, reading
// a CRL of the issuing CA from a local source: fetched and verified once, then
// answered from its cache) and derives the document. Results with method options
// are never cached by the resolver, and the stack runs without a cache anyway.
// (The registry path admits only agent → owner CA chains, and the corpus's one
// three-certificate chain with a P-256 agent, good.pem, has Ed25519 CAs.)
var uncachedTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// uncachedChain is the target: its DID, the resolver's registration and the
// request query (x509Chain and noCache=true).
type uncachedChain struct {
	did    string
	query  string
	chain  []*x509.Certificate
	crl    []byte
	issuer *x509.Certificate
	// resolved counts the resolutions that reached the did:kakunin resolver.
	resolved atomic.Int64
}

// newUncachedChain issues the chain and the issuing CA's CRL, every key P-256
// and every signature ECDSA with SHA-256.
func newUncachedChain() (*uncachedChain, error) {
	var keys [3]*ecdsa.PrivateKey // owner CA, issuing CA, agent
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	id, err := kakunin.New(kakunin.Digest{1}, kakunin.Digest{2}, keys[0].Public())
	if err != nil {
		return nil, err
	}
	owner, err := signCert(caTemplate("Load Owner CA", 1, keys[0].Public()), keys[0].Public(), nil, keys[0])
	if err != nil {
		return nil, err
	}
	issuing, err := signCert(caTemplate("Load Issuing CA", 2, keys[1].Public()), keys[1].Public(), owner, keys[0])
	if err != nil {
		return nil, err
	}
	agent, err := signCert(agentTemplate(id, keys[2].Public()), keys[2].Public(), issuing, keys[1])
	if err != nil {
		return nil, err
	}
	crl, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1),
		ThisUpdate: uncachedTime.Add(-time.Hour), NextUpdate: uncachedTime.Add(6 * time.Hour)}, issuing, keys[1])
	if err != nil {
		return nil, err
	}
	chain := []*x509.Certificate{agent, issuing, owner}
	q := url.Values{kakunin.OptionX509Chain: {kakunin.FormatChainOption(chain)}, "noCache": {"true"}}
	return &uncachedChain{did: id.String(), query: q.Encode(), chain: chain, crl: crl, issuer: issuing}, nil
}

// path is the request path: the DID URL-encoded, so that the query carries
// resolution options (resolverhttp package doc).
func (u *uncachedChain) path() string {
	return "/1.0/identifiers/" + url.QueryEscape(u.did) + "?" + u.query
}

// options are the same resolution options for an in-process resolution.
func (u *uncachedChain) options() did.ResolutionOptions {
	v, _ := jsontext.AppendQuote(nil, kakunin.FormatChainOption(u.chain)) // base64url: valid UTF-8
	return did.ResolutionOptions{NoCache: true, Method: map[string]jsontext.Value{kakunin.OptionX509Chain: v}}
}

// register registers a registry-less did:kakunin resolver with the real revocation
// checker, CRLs from memory, OCSP off; the checker's cache keeps the CRL.
func (u *uncachedChain) register(r *resolver.Registry) error {
	chk := revocation.New(revocation.Options{Now: u.now, CRLSource: u, DisableOCSP: true})
	res, err := kakunin.NewResolver(kakunin.ResolverOptions{Now: u.now, Revocation: chk})
	if err != nil {
		return err
	}
	return r.Register("kakunin", countingResolver{res, &u.resolved})
}

func (u *uncachedChain) now() time.Time { return uncachedTime }

// CRL serves the issuing CA's CRL (revocation.CRLSource).
func (u *uncachedChain) CRL(_ context.Context, issuer *x509.Certificate) ([]byte, error) {
	if !issuer.Equal(u.issuer) {
		return nil, errors.New("loadtest: no CRL for this issuer")
	}
	return u.crl, nil
}

// target is the chain as a load target (for startStack), its clock as the cache's.
func (u *uncachedChain) target() target {
	return target{name: "did-kakunin-uncached", did: u.did, register: u.register, now: u.now}
}

// countingResolver counts the resolutions it passes on.
type countingResolver struct {
	next did.Resolver
	n    *atomic.Int64
}

func (c countingResolver) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	c.n.Add(1)
	return c.next.Resolve(ctx, id, opts)
}

// MethodOptions passes on the options of next (the x509Chain of did:kakunin).
func (c countingResolver) MethodOptions() []string {
	return c.next.(resolver.MethodOptionReader).MethodOptions()
}

func caTemplate(name string, serial int64, pub crypto.PublicKey) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{Organization: []string{"Load Owner"}, CommonName: name},
		NotBefore:    uncachedTime.AddDate(-1, 0, 0), NotAfter: uncachedTime.AddDate(5, 0, 0),
		BasicConstraintsValid: true, IsCA: true,
		KeyUsage:     x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: keyID(pub),
	}
}

// agentTemplate follows the agent certificate profile (spec §8): DID in
// the SAN URI, agent policy, digests extension, clientAuth, digitalSignature only,
// key identifiers, revocation pointers.
func agentTemplate(id kakunin.ID, pub crypto.PublicKey) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(1001),
		Subject:      pkix.Name{Organization: []string{"Load Owner"}, CommonName: "agent load"},
		NotBefore:    uncachedTime.Add(-time.Hour), NotAfter: uncachedTime.Add(23 * time.Hour),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		URIs:                  []*url.URL{{Scheme: "did", Opaque: id.String()[len("did:"):]}},
		Policies:              []x509.OID{kakunin.AgentPolicy},
		ExtraExtensions:       []pkix.Extension{kakunin.DigestsExtension(id)},
		CRLDistributionPoints: []string{"http://ca.example.com/crl/issuing"},
		OCSPServer:            []string{"http://ca.example.com/ocsp"},
		SubjectKeyId:          keyID(pub),
	}
}

// signCert issues tmpl for pub under parent (nil: self-signed).
func signCert(tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, key crypto.Signer) (*x509.Certificate, error) {
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func keyID(pub crypto.PublicKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return sum[:20]
}
