package kakunin

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"time"
)

// pathParams is the input of the generic path-validation core: nothing in it is
// specific to did:kakunin, so the same core runs the x509-limbo conformance cases.
type pathParams struct {
	roots         []*x509.Certificate // trust anchors
	intermediates []*x509.Certificate // untrusted, in any order
	now           time.Time           // required
	usages        []x509.ExtKeyUsage  // required EKUs; nil means any
	maxLength     int                 // most certificates in a path, anchor included; 0 means no limit
}

// verifyPath builds and validates the paths from leaf to a root with crypto/x509 and
// then applies the RFC 5280 rules crypto/x509 leaves out (see checkIssuer). It
// returns the paths that pass, leaf first, or the error of the first one that
// failed (a *ChainError).
func verifyPath(leaf *x509.Certificate, p pathParams) ([][]*x509.Certificate, error) {
	if p.now.IsZero() {
		return nil, chainError(-1, ErrInvalidOptions, errors.New("CurrentTime is required"))
	}
	if err := checkLeafStructure(leaf); err != nil {
		return nil, err
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for _, c := range p.roots {
		roots.AddCert(c)
	}
	for _, c := range p.intermediates {
		inter.AddCert(c)
	}
	usages := p.usages
	if usages == nil {
		usages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: p.now, KeyUsages: usages,
	})
	if err != nil {
		return nil, mapX509Error(err, p.now)
	}
	var good [][]*x509.Certificate
	var first error
	for _, chain := range chains {
		if err := checkPath(chain, p.maxLength); err != nil {
			first = firstError(first, err)
			continue
		}
		good = append(good, chain)
	}
	if good == nil {
		return nil, first
	}
	return good, nil
}

func firstError(first, err error) error {
	if first == nil {
		return err
	}
	return first
}

// checkLeafStructure rejects end-entity certificates that RFC 5280 forbids and
// crypto/x509 accepts:
//
//   - a CA certificate or certificate-signing key as the leaf;
//   - §4.2.1.10: name constraints "MUST be used only in a CA certificate";
//   - §4.2.1.12: an extKeyUsage extension with no purpose (KeyPurposeId SIZE (1..MAX));
//   - §4.1.2.2: serial numbers that are not positive or longer than 20 octets;
//   - public keys other than Ed25519, P-256, P-384 and RSA of 2048 to 8192 bits.
func checkLeafStructure(leaf *x509.Certificate) error {
	switch {
	case leaf.IsCA || leaf.KeyUsage&x509.KeyUsageCertSign != 0:
		return chainError(0, ErrNotEndEntity, errors.New("CA certificate as end entity"))
	case hasExtension(leaf, oidNameConstraints):
		return chainError(0, ErrNotEndEntity, errors.New("name constraints in an end-entity certificate"))
	case hasExtension(leaf, oidExtKeyUsage) && len(leaf.ExtKeyUsage)+len(leaf.UnknownExtKeyUsage) == 0:
		return chainError(0, ErrExtKeyUsage, errors.New("empty extKeyUsage"))
	}
	if n := serialOctets(leaf.SerialNumber); n == 0 || n > 20 {
		return chainError(0, ErrSerialNumber, nil)
	}
	if why := allowedKey(leaf.PublicKey); why != "" {
		return chainError(0, ErrKeyType, errors.New(why))
	}
	return nil
}

func checkPath(chain []*x509.Certificate, maxLength int) error {
	if maxLength > 0 && len(chain) > maxLength {
		return chainError(-1, ErrChainTooLong, nil)
	}
	for i := 1; i < len(chain); i++ {
		if err := checkIssuer(chain[i], chain[i-1], i, i == len(chain)-1); err != nil {
			return err
		}
	}
	anchor := chain[len(chain)-1]
	if len(anchor.AuthorityKeyId) == 0 && !selfSigned(anchor) {
		return chainError(len(chain)-1, ErrKeyIdentifier, errors.New("authorityKeyIdentifier absent"))
	}
	return nil
}

// checkIssuer applies to every CA certificate of a path, the trust anchor included,
// the RFC 5280 rules that crypto/x509 does not enforce:
//
//   - §4.2.1.9: "Conforming CAs MUST include this extension in all CA certificates
//     that contain public keys used to validate digital signatures on certificates
//     and MUST mark the extension as critical in such certificates."
//   - §4.2.1.3: keyUsage MUST be present in certificates whose key verifies
//     certificate signatures, with keyCertSign asserted.
//   - §4.2.1.2: subjectKeyIdentifier "MUST appear in all conforming CA certificates".
//   - §4.2.1.1: authorityKeyIdentifier MUST be included in all certificates except
//     self-signed ones, and where present must match the issuer's SKI.
//   - §4.1.2.6: a CA's subject "MUST be a non-empty distinguished name".
//   - §4.2.1.10 and §4.2.1.11: name and policy constraints MUST be critical.
//   - §4.1.2.2: serial positive, at most 20 octets, except on the trust anchor
//     ("Certificate users SHOULD be prepared to gracefully handle such
//     certificates"; several long-lived roots have such serials).
func checkIssuer(ca, child *x509.Certificate, index int, anchor bool) error {
	if err := checkCA(ca, index, anchor); err != nil {
		return err
	}
	switch {
	case len(child.AuthorityKeyId) == 0 && !selfSigned(child):
		return chainError(index-1, ErrKeyIdentifier, errors.New("authorityKeyIdentifier absent"))
	case len(child.AuthorityKeyId) > 0 && !bytes.Equal(child.AuthorityKeyId, ca.SubjectKeyId):
		return chainError(index-1, ErrKeyIdentifier, errors.New("authorityKeyIdentifier differs from the issuer's subjectKeyIdentifier"))
	}
	return nil
}

// checkCA applies the rules of checkIssuer that concern the CA certificate alone.
func checkCA(ca *x509.Certificate, index int, anchor bool) error {
	switch {
	case bytes.Equal(ca.RawSubject, emptySequence):
		return chainError(index, ErrNotCA, errors.New("empty subject"))
	case hasExtension(ca, oidNameConstraints) && !isCritical(ca, oidNameConstraints):
		return chainError(index, ErrNameConstraints, errors.New("nameConstraints not critical"))
	case hasExtension(ca, oidPolicyConstraints) && !isCritical(ca, oidPolicyConstraints):
		return chainError(index, ErrPolicyConstraints, errors.New("policyConstraints not critical"))
	case !ca.BasicConstraintsValid || !ca.IsCA || !isCritical(ca, oidBasicConstraints):
		return chainError(index, ErrNotCA, errors.New("basicConstraints absent, not critical or cA FALSE"))
	case ca.KeyUsage&x509.KeyUsageCertSign == 0:
		return chainError(index, ErrNotCA, errors.New("keyUsage lacks keyCertSign"))
	case len(ca.SubjectKeyId) == 0:
		return chainError(index, ErrKeyIdentifier, errors.New("CA without subjectKeyIdentifier"))
	}
	if n := serialOctets(ca.SerialNumber); !anchor && (n == 0 || n > 20) {
		return chainError(index, ErrSerialNumber, nil)
	}
	if why := allowedKey(ca.PublicKey); why != "" {
		return chainError(index, ErrKeyType, errors.New(why))
	}
	return nil
}

// selfSigned reports whether c is self-signed in the sense of the RFC 5280
// §4.2.1.1 exception for authorityKeyIdentifier: byte-identical issuer and subject
// names, or else (names may match under §7.1 rules while their encodings differ) a
// signature that verifies with c's own key. The cheap test comes first because
// every self-signed owner CA without an AKI passes through here.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) || c.CheckSignatureFrom(c) == nil
}

var (
	oidBasicConstraints  = []int{2, 5, 29, 19}
	oidNameConstraints   = []int{2, 5, 29, 30}
	oidPolicyConstraints = []int{2, 5, 29, 36}
	oidExtKeyUsage       = []int{2, 5, 29, 37}
	emptySequence        = []byte{0x30, 0x00}
)

func extension(c *x509.Certificate, oid []int) *pkix.Extension {
	for i := range c.Extensions {
		if c.Extensions[i].Id.Equal(oid) {
			return &c.Extensions[i]
		}
	}
	return nil
}

func hasExtension(c *x509.Certificate, oid []int) bool { return extension(c, oid) != nil }

func isCritical(c *x509.Certificate, oid []int) bool {
	e := extension(c, oid)
	return e != nil && e.Critical
}

// mapX509Error turns a crypto/x509 verification error into a *ChainError with the
// matching sentinel, keeping the original as the cause.
func mapX509Error(err error, now time.Time) error {
	var inv x509.CertificateInvalidError
	var unhandled x509.UnhandledCriticalExtension
	switch {
	case errors.As(err, &inv):
		return chainError(-1, invalidReason(inv, now), err)
	case errors.As(err, &unhandled):
		return chainError(-1, ErrCriticalExtension, err)
	}
	return chainError(-1, ErrUntrusted, err)
}

func invalidReason(inv x509.CertificateInvalidError, now time.Time) error {
	switch inv.Reason {
	case x509.Expired:
		if inv.Cert != nil && now.Before(inv.Cert.NotBefore) {
			return ErrNotYetValid
		}
		return ErrExpired
	case x509.CANotAuthorizedForThisName, x509.NameConstraintsWithoutSANs, x509.UnconstrainedName, x509.TooManyConstraints:
		return ErrNameConstraints
	case x509.TooManyIntermediates:
		return ErrPathLength
	case x509.IncompatibleUsage, x509.CANotAuthorizedForExtKeyUsage:
		return ErrExtKeyUsage
	case x509.NotAuthorizedToSign:
		return ErrNotCA
	case x509.NoValidChains:
		return ErrPolicyConstraints
	}
	return ErrUntrusted
}
