package kakunin

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json/jsontext"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// ContextURL is the kakunin JSON-LD context, which defines the service types below
// (spec §9.2); package spec embeds it and a kakunin service serves it under
// /contexts/.
const ContextURL = "https://kakunin.dev/ns/v1"

// Service types and fragments of a did:kakunin document (spec §9.1).
const (
	ServiceCertificateStatus = "KakuninCertificateStatus"
	ServiceAuditLog          = "KakuninAuditLog"
	ServiceCredentials       = "KakuninCredentials"

	FragmentOwner             = "owner"
	FragmentCertificateStatus = "certificate-status"
	FragmentAuditLog          = "audit-log"
	FragmentCredentials       = "credentials"
)

const (
	contextMultikey = "https://w3id.org/security/multikey/v1"
	contextJWK      = "https://w3id.org/security/jwk/v1"
)

// ErrDocument is wrapped by DeriveDocument errors: a chain that is empty or holds a
// key that has no JWK form. VerifyChain never lets such a chain through.
var ErrDocument = errors.New("kakunin: cannot derive DID document")

// DocumentOptions are the resolver's configured endpoints. The zero value derives a
// document with no audit-log and no credentials service.
type DocumentOptions struct {
	// AuditLogURL is the transparency log that records the DID's certificates.
	AuditLogURL string
	// CredentialsURL is where credentials about the DID can be fetched.
	CredentialsURL string
}

// Thumbprint is T of spec §9.1: the unpadded base64url SHA-256 of cert's DER, the
// JWK x5t#S256 value (RFC 7517 §4.9) and the fragment "cert-T".
func Thumbprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// DeriveDocument builds the DID document of id (spec §9.1) from the chains of its
// active agent certificates, each agent certificate first and the owner CA last, as
// VerifyChain returns them in Verified.Chain. It does not validate the chains: pass
// only chains that passed VerifyChain and revocation checking. The order of chains
// does not matter; the document is deterministic. Document.Context holds the
// contexts of the application/did+ld+json representation after DID v1 (set it with
// Document.ContextFor for another representation).
func DeriveDocument(id ID, chains [][]*x509.Certificate, opts DocumentOptions) (*did.Document, error) {
	d := id.String()
	certs, err := sortedCertificates(chains)
	if err != nil {
		return nil, err
	}
	doc := &did.Document{ID: d, Context: []any{contextMultikey, ContextURL}}
	if len(certs) > 0 {
		doc.Context = []any{contextMultikey, contextJWK, ContextURL}
	}
	doc.VerificationMethod = make([]did.VerificationMethod, 0, 2*len(certs)+1)
	refs := make([]did.MethodRef, 0, 2*len(certs))
	var enc x5cEncoder
	for _, c := range certs {
		vms, err := certificateMethods(d, c, &enc)
		if err != nil {
			return nil, err
		}
		for _, vm := range vms {
			doc.VerificationMethod = append(doc.VerificationMethod, vm)
			refs = append(refs, did.MethodRef{Ref: vm.ID})
		}
	}
	owner := did.VerificationMethod{ID: d + "#" + FragmentOwner, Type: did.TypeMultikey, Controller: d, PublicKeyMultibase: id.OwnerMultikey()}
	doc.VerificationMethod = append(doc.VerificationMethod, owner)
	if len(refs) > 0 {
		doc.Authentication = refs
		doc.AssertionMethod = slices.Clone(refs)
	}
	doc.CapabilityInvocation = []did.MethodRef{{Ref: owner.ID}}
	doc.Service = services(d, certs, opts)
	return doc, nil
}

// deactivatedDocument is the document of a deactivated DID (spec §7.4): no
// verification methods, and the services that lead to the deactivation record.
func deactivatedDocument(id ID, opts DocumentOptions) *did.Document {
	d := id.String()
	return &did.Document{ID: d, Context: []any{ContextURL}, Service: services(d, nil, opts)}
}

// agentCert is one chain with its thumbprint, computed once.
type agentCert struct {
	chain []*x509.Certificate
	t     string
}

func sortedCertificates(chains [][]*x509.Certificate) ([]agentCert, error) {
	certs := make([]agentCert, len(chains))
	for i, ch := range chains {
		if len(ch) == 0 || ch[0] == nil {
			return nil, fmt.Errorf("%w: chain %d is empty", ErrDocument, i)
		}
		certs[i] = agentCert{chain: ch, t: Thumbprint(ch[0])}
	}
	// Spec §9.1: "in order of notBefore then T".
	slices.SortFunc(certs, func(a, b agentCert) int {
		if c := a.chain[0].NotBefore.Compare(b.chain[0].NotBefore); c != 0 {
			return c
		}
		return strings.Compare(a.t, b.t)
	})
	certs = slices.CompactFunc(certs, func(a, b agentCert) bool { return a.t == b.t })
	return certs, nil
}

// certificateMethods returns the JsonWebKey method of c and, for a key that Data
// Integrity cryptosuites use, its Multikey twin.
func certificateMethods(d string, c agentCert, enc *x5cEncoder) ([]did.VerificationMethod, error) {
	leaf := c.chain[0]
	jwk, err := did.NewJWK(leaf.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate %s: %w", ErrDocument, c.t, err)
	}
	jwk.X5C = enc.chain(c.chain)
	jwk.Extra = map[string]jsontext.Value{"x5t#S256": jsontext.Value(`"` + c.t + `"`)}
	id := d + "#cert-" + c.t
	vms := []did.VerificationMethod{did.NewJSONWebKeyMethod(id, d, jwk)}
	if !hasCryptosuite(leaf) {
		return vms, nil
	}
	mk, err := did.NewMultikeyMethod(id+"-multikey", d, leaf.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate %s: %w", ErrDocument, c.t, err)
	}
	return append(vms, mk), nil
}

// x5cEncoder encodes certificates for x5c (RFC 7517 §4.7: standard base64 of the
// DER, not base64url), each distinct certificate once: chains of one DID share their
// CA certificates.
type x5cEncoder struct {
	raw [][]byte
	enc []string
}

func (e *x5cEncoder) chain(chain []*x509.Certificate) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = e.encode(c.Raw)
	}
	return out
}

func (e *x5cEncoder) encode(der []byte) string {
	for i, r := range e.raw {
		if bytes.Equal(r, der) {
			return e.enc[i]
		}
	}
	s := base64.StdEncoding.EncodeToString(der)
	e.raw, e.enc = append(e.raw, der), append(e.enc, s)
	return s
}

// hasCryptosuite reports whether a Data Integrity cryptosuite signs with the key:
// Ed25519 (eddsa-*), P-256 and P-384 (ecdsa-*). RSA has none.
func hasCryptosuite(c *x509.Certificate) bool {
	switch c.PublicKey.(type) {
	case ed25519.PublicKey:
		return true
	}
	return c.PublicKeyAlgorithm == x509.ECDSA
}

func services(d string, certs []agentCert, opts DocumentOptions) []did.Service {
	var out []did.Service
	if len(certs) > 0 {
		out = append(out, did.Service{ID: d + "#" + FragmentCertificateStatus, Type: []string{ServiceCertificateStatus},
			ServiceEndpoint: []did.Endpoint{{Map: statusEndpoint(certs)}}})
	}
	if opts.AuditLogURL != "" {
		out = append(out, did.Service{ID: d + "#" + FragmentAuditLog, Type: []string{ServiceAuditLog},
			ServiceEndpoint: []did.Endpoint{{URI: opts.AuditLogURL}}})
	}
	if opts.CredentialsURL != "" {
		out = append(out, did.Service{ID: d + "#" + FragmentCredentials, Type: []string{ServiceCredentials},
			ServiceEndpoint: []did.Endpoint{{URI: opts.CredentialsURL}}})
	}
	return out
}

// statusEndpoint is {"ocsp": [...], "crl": [...]}: the agent certificates' OCSP
// responders and CRL distribution points, each sorted and de-duplicated.
func statusEndpoint(certs []agentCert) jsontext.Value {
	var ocsp, crl []string
	for _, c := range certs {
		ocsp = append(ocsp, c.chain[0].OCSPServer...)
		crl = append(crl, c.chain[0].CRLDistributionPoints...)
	}
	b := []byte(`{"ocsp":`)
	b = appendStringSet(b, ocsp)
	b = append(b, `,"crl":`...)
	b = appendStringSet(b, crl)
	return append(b, '}')
}

func appendStringSet(b []byte, s []string) []byte {
	slices.Sort(s)
	s = slices.Compact(s)
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		// Certificate URIs are IA5Strings; AppendQuote escapes whatever they hold.
		b, _ = jsontext.AppendQuote(b, v)
	}
	return append(b, ']')
}
