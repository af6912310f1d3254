package kakunin

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"
)

// DefaultMaxValidity is the longest agent-certificate validity period accepted when
// ProfileOptions.MaxValidity is zero. Short-lived certificates make a stolen agent
// key useless within a day even to a verifier that cannot reach the CRL or OCSP.
const DefaultMaxValidity = 24 * time.Hour

// MaxValidityCeiling is the largest MaxValidity a verifier may configure.
const MaxValidityCeiling = 7 * 24 * time.Hour

// ProfileOptions configures CheckAgentCertificate. The zero value is the profile's
// default.
type ProfileOptions struct {
	// MaxValidity caps notAfter − notBefore. Zero means DefaultMaxValidity; values
	// above MaxValidityCeiling or negative are rejected with ErrInvalidOptions.
	MaxValidity time.Duration
}

func (o ProfileOptions) maxValidity() (time.Duration, error) {
	switch {
	case o.MaxValidity == 0:
		return DefaultMaxValidity, nil
	case o.MaxValidity < 0 || o.MaxValidity > MaxValidityCeiling:
		return 0, fmt.Errorf("%w: MaxValidity %v outside (0, %v]", ErrInvalidOptions, o.MaxValidity, MaxValidityCeiling)
	}
	return o.MaxValidity, nil
}

// CheckAgentCertificate applies the did:kakunin agent-certificate profile to cert,
// the end-entity certificate of an agent instance of id. It checks the certificate
// alone (signatures, time and the chain are VerifyChain's job) and returns the
// first rule broken as a *ProfileError matching ErrProfile and one of the profile
// sentinels, or an error matching ErrInvalidOptions.
func CheckAgentCertificate(cert *x509.Certificate, id ID, opts ProfileOptions) error {
	maxValidity, err := opts.maxValidity()
	if err != nil {
		return err
	}
	checks := []func(*x509.Certificate, ID) error{
		checkSubjectDID, checkEndEntity, checkKeyUsage, checkExtKeyUsage, checkAgentPolicy,
		checkDigests, checkSerial, checkKeyIdentifiers, checkRevocationInfo, checkKeyType,
		checkCriticalExtensions,
	}
	for _, check := range checks {
		if err := check(cert, id); err != nil {
			return err
		}
	}
	if v := cert.NotAfter.Sub(cert.NotBefore); v > maxValidity || v < 0 {
		return profileError("validity", ErrValidityTooLong, "period %v, at most %v allowed", v, maxValidity)
	}
	return nil
}

// checkSubjectDID: exactly one subjectAltName URI is a did:kakunin, and it is id in
// canonical form. Other URIs (a SPIFFE ID, an instance URN) are allowed.
func checkSubjectDID(cert *x509.Certificate, id ID) error {
	var dids []*url.URL
	for _, u := range cert.URIs {
		if strings.EqualFold(u.Scheme, "did") && strings.HasPrefix(u.Opaque, Method+":") {
			dids = append(dids, u)
		}
	}
	switch {
	case len(dids) == 0:
		return profileError("subjectAltName", ErrSANMissing, "no did:kakunin URI")
	case len(dids) > 1:
		return profileError("subjectAltName", ErrSANDuplicate, "%d did:kakunin URIs", len(dids))
	case dids[0].String() != id.String():
		return profileError("subjectAltName", ErrSANMismatch, "URI %.120q is not the DID", dids[0].String())
	}
	return nil
}

// checkEndEntity: basicConstraints present with cA FALSE (RFC 5280 §4.2.1.9 lets an
// end entity omit it; the profile requires it so no verifier can mistake the
// certificate for a CA).
func checkEndEntity(cert *x509.Certificate, _ ID) error {
	if !cert.BasicConstraintsValid {
		return profileError("basicConstraints", ErrNotEndEntity, "extension absent")
	}
	if cert.IsCA {
		return profileError("basicConstraints", ErrNotEndEntity, "cA is TRUE")
	}
	return nil
}

func checkKeyUsage(cert *x509.Certificate, _ ID) error {
	if cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return profileError("keyUsage", ErrKeyUsage, "digitalSignature absent")
	}
	if cert.KeyUsage&(x509.KeyUsageCertSign|x509.KeyUsageCRLSign) != 0 {
		return profileError("keyUsage", ErrKeyUsage, "keyCertSign or cRLSign asserted")
	}
	return nil
}

func checkExtKeyUsage(cert *x509.Certificate, _ ID) error {
	client := false
	for _, u := range cert.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageAny:
			return profileError("extKeyUsage", ErrExtKeyUsage, "anyExtendedKeyUsage asserted")
		case x509.ExtKeyUsageClientAuth:
			client = true
		}
	}
	if !client {
		return profileError("extKeyUsage", ErrExtKeyUsage, "id-kp-clientAuth absent")
	}
	return nil
}

func checkAgentPolicy(cert *x509.Certificate, _ ID) error {
	for _, p := range cert.Policies {
		if p.Equal(AgentPolicy) {
			return nil
		}
	}
	return profileError("certificatePolicies", ErrAgentPolicy, "policy %s absent", AgentPolicy)
}

func checkDigests(cert *x509.Certificate, id ID) error {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidSubjectDirectoryAttributes) {
			continue
		}
		// RFC 5280 §4.2.1.8: "Conforming CAs MUST mark this extension as non-critical."
		if ext.Critical {
			return profileError("subjectDirectoryAttributes", ErrDigestsMalformed, "extension marked critical")
		}
		model, prompt, err := parseDigests(ext.Value)
		if err == errDigestsAbsent {
			return profileError("subjectDirectoryAttributes", ErrDigestsMissing, "%v", err)
		}
		if err != nil {
			return profileError("subjectDirectoryAttributes", ErrDigestsMalformed, "%v", err)
		}
		if model != id.ModelDigest() || prompt != id.PromptDigest() {
			return profileError("subjectDirectoryAttributes", ErrDigestsMismatch, "model or prompt digest differs from the DID")
		}
		return nil
	}
	return profileError("subjectDirectoryAttributes", ErrDigestsMissing, "extension absent")
}

// checkSerial: RFC 5280 §4.1.2.2: "The serial number MUST be a positive integer …
// Conforming CAs MUST NOT use serialNumber values longer than 20 octets."
func checkSerial(cert *x509.Certificate, _ ID) error {
	if n := serialOctets(cert.SerialNumber); n == 0 || n > 20 {
		return profileError("serialNumber", ErrSerialNumber, "not a positive integer of at most 20 octets")
	}
	return nil
}

// serialOctets returns the DER content length of a positive serial, or 0 if it is
// not positive.
func serialOctets(n *big.Int) int {
	if n == nil || n.Sign() <= 0 {
		return 0
	}
	return n.BitLen()/8 + 1
}

func checkKeyIdentifiers(cert *x509.Certificate, _ ID) error {
	if len(cert.SubjectKeyId) == 0 || len(cert.AuthorityKeyId) == 0 {
		return profileError("keyIdentifiers", ErrKeyIdentifier, "subjectKeyIdentifier and authorityKeyIdentifier are required")
	}
	return nil
}

func checkRevocationInfo(cert *x509.Certificate, _ ID) error {
	if !anyHTTPURL(cert.CRLDistributionPoints) {
		return profileError("cRLDistributionPoints", ErrRevocationInfo, "no http(s) distribution point")
	}
	if !anyHTTPURL(cert.OCSPServer) {
		return profileError("authorityInfoAccess", ErrRevocationInfo, "no http(s) OCSP responder")
	}
	return nil
}

func anyHTTPURL(urls []string) bool {
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return true
		}
	}
	return false
}

func checkKeyType(cert *x509.Certificate, _ ID) error {
	if err := allowedKey(cert.PublicKey); err != "" {
		return profileError("subjectPublicKeyInfo", ErrKeyType, "%s", err)
	}
	return nil
}

// allowedKey returns why a key is not allowed, or "".
func allowedKey(pub any) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return ""
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return ""
		}
		return "ECDSA curve other than P-256 or P-384"
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < 2048 || n > 8192 || n%8 != 0 {
			return fmt.Sprintf("RSA key of %d bits, want a multiple of 8 from 2048 to 8192", n)
		}
		return ""
	}
	return fmt.Sprintf("key type %T", pub)
}

func checkCriticalExtensions(cert *x509.Certificate, _ ID) error {
	if len(cert.UnhandledCriticalExtensions) > 0 {
		return profileError("extensions", ErrCriticalExtension, "unknown critical extension %v", cert.UnhandledCriticalExtensions[0])
	}
	return nil
}
