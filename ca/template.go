package ca

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// agentCert is what goes into one agent certificate.
type agentCert struct {
	id        kakunin.ID
	pub       crypto.PublicKey
	serial    *big.Int
	extraURIs []*url.URL
	notBefore time.Time
	validity  time.Duration
}

// agentTemplate is the agent certificate profile of spec/did-kakunin.md §6.1:
// end entity, keyUsage digitalSignature (critical), EKU clientAuth, the agent
// policy, the digests in subjectDirectoryAttributes, the DID as SAN URI (plus the
// allowed extra URIs), SKI (AKI comes from the owner certificate's SKI), and the
// owner's CRL distribution point, OCSP responder and caIssuers URL.
func (ca *CA) agentTemplate(o *owner, a agentCert) (*x509.Certificate, error) {
	ski, err := keyID(a.pub)
	if err != nil {
		return nil, invalid("csr", "public key", err)
	}
	didURI, err := url.Parse(a.id.String())
	if err != nil {
		return nil, fmt.Errorf("ca: DID as URI: %w", err)
	}
	return &x509.Certificate{
		SerialNumber:          a.serial,
		Subject:               pkix.Name{CommonName: "kakunin agent"},
		NotBefore:             a.notBefore,
		NotAfter:              a.notBefore.Add(a.validity),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		URIs:                  append([]*url.URL{didURI}, a.extraURIs...),
		Policies:              []x509.OID{kakunin.AgentPolicy},
		ExtraExtensions:       []pkix.Extension{kakunin.DigestsExtension(a.id)},
		SubjectKeyId:          ski,
		CRLDistributionPoints: []string{ca.opts.crlURL(o.id)},
		OCSPServer:            []string{ca.opts.ocspURL(o.id)},
		IssuingCertificateURL: []string{ca.opts.caIssuersURL(o.id)},
	}, nil
}

// sign issues tmpl for pub under o and checks the result against the profile, so
// that the CA never records a certificate a conforming verifier would refuse.
func (ca *CA) sign(o *owner, tmpl *x509.Certificate, a agentCert) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(ca.opts.Rand, tmpl, o.cert, a.pub, o.signer)
	if err != nil {
		return nil, fmt.Errorf("ca: signing agent certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	if err := kakunin.CheckAgentCertificate(cert, a.id, kakunin.ProfileOptions{MaxValidity: ca.opts.MaxValidity}); err != nil {
		return nil, fmt.Errorf("ca: issued certificate breaks the profile: %w", err)
	}
	return cert, nil
}

// extraURIs checks the SAN URIs a request adds beside the DID.
func (ca *CA) extraURIs(in []string) ([]*url.URL, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if !ca.opts.AllowExtraURIs {
		return nil, refused("extraURIs", "this CA adds no URIs beside the DID", nil)
	}
	if len(in) > ca.opts.MaxExtraURIs {
		return nil, refused("extraURIs", fmt.Sprintf("more than %d", ca.opts.MaxExtraURIs), nil)
	}
	out := make([]*url.URL, 0, len(in))
	for _, s := range in {
		u, err := url.Parse(s)
		switch {
		case len(s) > MaxURILength:
			return nil, invalid("extraURIs", "URI too long", nil)
		case err != nil || !u.IsAbs() || u.String() != s:
			return nil, invalid("extraURIs", "not an absolute URI in normal form", err)
		case strings.EqualFold(u.Scheme, "did"):
			return nil, refused("extraURIs", "DIDs other than the certificate's are not allowed", nil)
		}
		out = append(out, u)
	}
	return out, nil
}

// validity checks a requested validity: zero means the CA's maximum.
func (ca *CA) validity(d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return ca.opts.MaxValidity, nil
	case d < time.Minute || d > ca.opts.MaxValidity:
		return 0, refused("validity", fmt.Sprintf("must be between 1m and %v", ca.opts.MaxValidity), nil)
	}
	return d, nil
}
