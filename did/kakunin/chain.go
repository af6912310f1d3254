package kakunin

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// DefaultMaxChainLength is the most certificates VerifyChain reads when
// VerifyOptions.MaxChainLength is zero: leaf, issuing CA, owner CA, and two
// certificates above the owner CA towards a trust root.
const DefaultMaxChainLength = 5

// MaxChainLengthCeiling is the largest MaxChainLength a verifier may configure.
const MaxChainLengthCeiling = 10

// VerifyOptions configures VerifyChain. Only CurrentTime is required; the zero
// value of every other field is the profile's default.
type VerifyOptions struct {
	// CurrentTime is the instant at which every certificate must be valid. It is
	// required: VerifyChain never reads the clock.
	CurrentTime time.Time
	// MaxChainLength bounds the supplied chain. Zero means DefaultMaxChainLength.
	MaxChainLength int
	// MaxValidity caps the agent certificate's validity period (see ProfileOptions).
	MaxValidity time.Duration
	// TrustRoots, when set, are trust anchors the owner CA is checked against, using
	// the certificates after it in the chain as intermediates. The result is
	// reported in Verified.TrustRoot; it fails verification only with
	// RequireTrustRoot.
	TrustRoots *x509.CertPool
	// RequireTrustRoot makes VerifyChain fail with ErrTrustRoot when the owner CA
	// does not chain to TrustRoots.
	RequireTrustRoot bool
}

func (o VerifyOptions) maxChainLength() (int, error) {
	switch {
	case o.MaxChainLength == 0:
		return DefaultMaxChainLength, nil
	case o.MaxChainLength < 2 || o.MaxChainLength > MaxChainLengthCeiling:
		return 0, fmt.Errorf("MaxChainLength %d outside [2, %d]", o.MaxChainLength, MaxChainLengthCeiling)
	}
	return o.MaxChainLength, nil
}

// TrustResult says whether the owner CA chains to a configured trust root.
type TrustResult int

const (
	TrustNotChecked TrustResult = iota // no TrustRoots configured
	Trusted                            // the owner CA chains to TrustRoots
	NotTrusted                         // it does not
)

func (r TrustResult) String() string {
	return [...]string{"notChecked", "trusted", "notTrusted"}[r]
}

// Verified is the result of a successful VerifyChain.
type Verified struct {
	// Chain is the validated path: the agent certificate first, the owner CA last.
	Chain []*x509.Certificate
	// TrustRoot is the outcome of the optional trust-root check, and TrustChain the
	// path from the owner CA to a trust root when it is Trusted.
	TrustRoot  TrustResult
	TrustChain []*x509.Certificate
	// NotAfter is the earliest expiry in Chain: when this result stops being valid.
	NotAfter time.Time
}

// Leaf returns the agent certificate.
func (v *Verified) Leaf() *x509.Certificate { return v.Chain[0] }

// OwnerCA returns the certificate that holds the DID's owner key.
func (v *Verified) OwnerCA() *x509.Certificate { return v.Chain[len(v.Chain)-1] }

// VerifyChain validates chain (the agent certificate first, each certificate
// followed by its issuer) as an agent-certificate chain of id at
// opts.CurrentTime. The trust anchor is the certificate whose public key is id's
// owner key, so the DID certifies its own chain; certificates after it are used
// only for the optional trust-root check. The path from the agent certificate to
// the owner CA must be exactly the supplied one, pass crypto/x509 verification for
// client authentication, RFC 5280's CA rules, and the agent-certificate profile.
// Errors are *ChainError values matching one chain or profile sentinel.
// Revocation is not checked here (see package revocation).
func VerifyChain(chain []*x509.Certificate, id ID, opts VerifyOptions) (*Verified, error) {
	owner, err := checkInput(chain, id, opts)
	if err != nil {
		return nil, err
	}
	path := chain[:owner+1]
	// The supplied path's CA structure first, so that a certificate crypto/x509
	// refuses as an issuer is reported as ErrNotCA rather than as an unknown
	// authority.
	for i := 1; i < len(path); i++ {
		if err := checkCA(path[i], i, i == len(path)-1); err != nil {
			return nil, err
		}
	}
	for i, c := range path[:owner] {
		if !allowedSignatures[c.SignatureAlgorithm] {
			return nil, chainError(i, ErrSignatureAlgorithm, fmt.Errorf("%v", c.SignatureAlgorithm))
		}
	}
	paths, err := verifyPath(chain[0], pathParams{
		roots:         []*x509.Certificate{chain[owner]},
		intermediates: path[1:owner],
		now:           opts.CurrentTime,
		usages:        []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return nil, err
	}
	if !containsPath(paths, path) {
		return nil, chainError(-1, ErrChainMismatch, errors.New("the certificates do not form the path in the order given"))
	}
	if err := CheckAgentCertificate(chain[0], id, ProfileOptions{MaxValidity: opts.MaxValidity}); err != nil {
		var pe *ProfileError
		if errors.As(err, &pe) {
			return nil, chainError(0, pe.Err, pe)
		}
		return nil, chainError(0, ErrInvalidOptions, err)
	}
	v := &Verified{Chain: append([]*x509.Certificate(nil), path...), NotAfter: earliestExpiry(path)}
	if err := checkTrustRoot(v, chain[owner+1:], opts); err != nil {
		return nil, err
	}
	return v, nil
}

// checkInput validates the options and the chain's shape and returns the index of
// the owner CA.
func checkInput(chain []*x509.Certificate, id ID, opts VerifyOptions) (int, error) {
	if opts.CurrentTime.IsZero() {
		return 0, chainError(-1, ErrInvalidOptions, errors.New("CurrentTime is required"))
	}
	maxLen, err := opts.maxChainLength()
	if err != nil {
		return 0, chainError(-1, ErrInvalidOptions, err)
	}
	if _, err := (ProfileOptions{MaxValidity: opts.MaxValidity}).maxValidity(); err != nil {
		return 0, chainError(-1, ErrInvalidOptions, err)
	}
	if id.IsZero() {
		return 0, chainError(-1, ErrInvalidOptions, errors.New("zero ID"))
	}
	switch {
	case len(chain) == 0:
		return 0, chainError(-1, ErrEmptyChain, nil)
	case len(chain) > maxLen:
		return 0, chainError(-1, ErrChainTooLong, fmt.Errorf("%d certificates, at most %d", len(chain), maxLen))
	}
	for i, c := range chain {
		if c == nil {
			return 0, chainError(i, ErrEmptyChain, errors.New("nil certificate"))
		}
	}
	// The agent certificate itself never holds the owner key: start at 1.
	for i := 1; i < len(chain); i++ {
		if sameKey(chain[i].PublicKey, id.OwnerKey()) {
			return i, nil
		}
	}
	return 0, chainError(-1, ErrOwnerKeyNotInChain, nil)
}

// allowedSignatures are the signature algorithms of the profile (spec §6.1): each
// allowed key type with its matching hash, nothing weaker.
var allowedSignatures = map[x509.SignatureAlgorithm]bool{
	x509.PureEd25519: true, x509.ECDSAWithSHA256: true, x509.ECDSAWithSHA384: true,
	x509.SHA256WithRSA: true, x509.SHA384WithRSA: true, x509.SHA512WithRSA: true,
	x509.SHA256WithRSAPSS: true, x509.SHA384WithRSAPSS: true, x509.SHA512WithRSAPSS: true,
}

func sameKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

func containsPath(paths [][]*x509.Certificate, want []*x509.Certificate) bool {
	for _, p := range paths {
		if len(p) != len(want) {
			continue
		}
		same := true
		for i := range p {
			same = same && p[i].Equal(want[i])
		}
		if same {
			return true
		}
	}
	return false
}

func earliestExpiry(chain []*x509.Certificate) time.Time {
	t := chain[0].NotAfter
	for _, c := range chain[1:] {
		if c.NotAfter.Before(t) {
			t = c.NotAfter
		}
	}
	return t
}

// checkTrustRoot verifies the owner CA against opts.TrustRoots, with the
// certificates above it in the supplied chain as intermediates.
func checkTrustRoot(v *Verified, above []*x509.Certificate, opts VerifyOptions) error {
	if opts.TrustRoots == nil {
		if opts.RequireTrustRoot {
			return chainError(-1, ErrInvalidOptions, errors.New("RequireTrustRoot without TrustRoots"))
		}
		return nil
	}
	inter := x509.NewCertPool()
	for _, c := range above {
		inter.AddCert(c)
	}
	chains, err := v.OwnerCA().Verify(x509.VerifyOptions{
		Roots: opts.TrustRoots, Intermediates: inter, CurrentTime: opts.CurrentTime,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		v.TrustRoot = NotTrusted
		if opts.RequireTrustRoot {
			return chainError(len(v.Chain)-1, ErrTrustRoot, err)
		}
		return nil
	}
	v.TrustRoot, v.TrustChain = Trusted, chains[0]
	return nil
}
