package dataintegrity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"slices"
)

// Names of the cryptosuites (the proof's cryptosuite value) and of the legacy
// proof type this package supports.
const (
	EdDSARDFC2022 = "eddsa-rdfc-2022" // EdDSA Cryptosuites v1.0, RDFC-1.0
	EdDSAJCS2022  = "eddsa-jcs-2022"  // EdDSA Cryptosuites v1.0, JCS
	ECDSARDFC2019 = "ecdsa-rdfc-2019" // ECDSA Cryptosuites v1.0, RDFC-1.0, P-256 or P-384
	ECDSAJCS2019  = "ecdsa-jcs-2019"  // ECDSA Cryptosuites v1.0, JCS, P-256 or P-384
	// Ed25519Signature2020 is the legacy proof type of EdDSA Cryptosuites v1.0
	// § The Ed25519Signature2020 Suite. It is verified only when listed in
	// VerifyOptions.Cryptosuites, and never created.
	Ed25519Signature2020 = "Ed25519Signature2020"
)

// Proof types.
const (
	typeDataIntegrityProof = "DataIntegrityProof"
)

// defaultSuites are the cryptosuites Verify accepts when
// VerifyOptions.Cryptosuites is nil.
var defaultSuites = []string{EdDSARDFC2022, EdDSAJCS2022, ECDSARDFC2019, ECDSAJCS2019}

// DefaultCryptosuites returns the cryptosuites Verify accepts when
// VerifyOptions.Cryptosuites is nil: the four of EdDSA and ECDSA Cryptosuites
// v1.0, not the legacy Ed25519Signature2020.
func DefaultCryptosuites() []string { return slices.Clone(defaultSuites) }

// suite is one cryptosuite: how it canonicalizes, and which keys it takes.
type suite struct {
	name      string // cryptosuite value, or the proof type for the legacy suite
	proofType string
	jcs       bool // JCS rather than RDFC-1.0
	ecdsa     bool // ECDSA P-256/P-384 rather than Ed25519
}

var suites = map[string]*suite{
	EdDSARDFC2022:        {name: EdDSARDFC2022, proofType: typeDataIntegrityProof},
	EdDSAJCS2022:         {name: EdDSAJCS2022, proofType: typeDataIntegrityProof, jcs: true},
	ECDSARDFC2019:        {name: ECDSARDFC2019, proofType: typeDataIntegrityProof, ecdsa: true},
	ECDSAJCS2019:         {name: ECDSAJCS2019, proofType: typeDataIntegrityProof, jcs: true, ecdsa: true},
	Ed25519Signature2020: {name: Ed25519Signature2020, proofType: Ed25519Signature2020},
}

// legacy reports whether s is the Ed25519Signature2020 suite, whose proof has
// no cryptosuite member.
func (s *suite) legacy() bool { return s.proofType != typeDataIntegrityProof }

// ProcessesJSONLD reports whether the cryptosuite (or, for the legacy suite, the proof
// type) canonicalizes with RDFC-1.0, and so processes the document as JSON-LD whenever it
// signs or verifies: true for the RDFC suites and Ed25519Signature2020, false for the JCS
// suites and unknown names.
func ProcessesJSONLD(suite string) bool {
	s, ok := suites[suite]
	return ok && !s.jcs
}

// lookupSuite returns the suite a proof names, if it is supported and allowed.
func lookupSuite(proofType, cryptosuite string, allowed []string) (*suite, error) {
	name := cryptosuite
	if proofType == Ed25519Signature2020 {
		name = Ed25519Signature2020
	} else if proofType != typeDataIntegrityProof {
		return nil, fmt.Errorf("%w: proof type %q", ErrUnsupportedCryptosuite, clip(proofType))
	}
	s, ok := suites[name]
	if !ok || s.proofType != proofType {
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedCryptosuite, clip(name))
	}
	if allowed == nil {
		allowed = defaultSuites
	}
	if !slices.Contains(allowed, name) {
		return nil, fmt.Errorf("%w: %q is not allowed", ErrUnsupportedCryptosuite, name)
	}
	return s, nil
}

// hashFor returns the hash of the suite for pub, or ErrKeyType. EdDSA suites
// hash with SHA-256. ECDSA Cryptosuites v1.0 § Hashing: "for curve P-256 one
// uses SHA-256 and for curve P-384 one uses SHA-384"; § 3 also makes that the
// RDFC-1.0 hash: "For P-384 keys, SHA-2 with 384-bits of output MUST be used,
// specified via the RDFC-1.0 implementation-specific parameter."
func (s *suite) hashFor(pub crypto.PublicKey) (crypto.Hash, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if !s.ecdsa {
			return crypto.SHA256, nil
		}
	case *ecdsa.PublicKey:
		if s.ecdsa && k.Curve == elliptic.P256() {
			return crypto.SHA256, nil
		}
		if s.ecdsa && k.Curve == elliptic.P384() {
			return crypto.SHA384, nil
		}
	}
	return 0, fmt.Errorf("%w: %s takes %s keys, not %s", ErrKeyType, s.name, s.keyName(), keyName(pub))
}

func (s *suite) keyName() string {
	if s.ecdsa {
		return "P-256 or P-384"
	}
	return "Ed25519"
}

func keyName(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	}
	return fmt.Sprintf("%T", pub)
}

// clip bounds a string taken from input before it goes into an error message.
func clip(s string) string {
	const max = 120
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
