package dataintegrity

import (
	"io"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// AssertionMethod is the proof purpose of a credential issuer's proof, and the
// default of ProofOptions.ProofPurpose and VerifyOptions.ProofPurpose.
const AssertionMethod = "assertionMethod"

// ProofOptions are the proof options of Add Proof. Cryptosuite and
// VerificationMethod are required; every other zero field is left out of the
// proof.
type ProofOptions struct {
	// Cryptosuite is EdDSARDFC2022, EdDSAJCS2022, ECDSARDFC2019 or ECDSAJCS2019;
	// the signing key must fit it (Ed25519, or ECDSA P-256 or P-384).
	Cryptosuite string
	// VerificationMethod is the DID URL of the public key of the signer.
	VerificationMethod string
	// ProofPurpose is the verification relationship the proof is made for;
	// "" means AssertionMethod.
	ProofPurpose string
	// Created and Expires are written in UTC, to the second.
	Created time.Time
	Expires time.Time
	// Domain, Challenge and Nonce bind the proof to a verifier's request.
	Domain    []string
	Challenge string
	Nonce     string
	// ID is the proof's id, a URL, which later proofs name in PreviousProof.
	ID string
	// PreviousProof lists the ids of proofs of the document that this proof
	// chains to; they are signed over along with the document.
	PreviousProof []string
	// JSONLD processes the document for the RDFC suites; nil uses a shared
	// processor with the embedded contexts only.
	JSONLD *jsonld.Processor
	// Rand is the randomness ECDSA signing uses; nil means crypto/rand.
	Rand io.Reader
}

// VerifyOptions are the inputs of Verify Proof beside the document. The
// zero value, with a Resolver, verifies assertionMethod proofs of the four
// cryptosuites at the current time.
type VerifyOptions struct {
	// Resolver resolves the DID of each proof's verification method. Required.
	Resolver did.Resolver
	// ProofPurpose is the expected proof purpose (Verify Proof's
	// expectedProofPurpose); "" means AssertionMethod.
	ProofPurpose string
	// Domain, when not nil, must equal the proof's domain as a set.
	Domain []string
	// Challenge, when not empty, must equal the proof's challenge.
	Challenge string
	// Cryptosuites lists the accepted cryptosuites (and Ed25519Signature2020,
	// if legacy proofs are wanted); nil means DefaultCryptosuites().
	Cryptosuites []string
	// Now is the time proofs' expires is checked against; zero means time.Now().
	Now time.Time
	// JSONLD processes the document for the RDFC suites; nil uses a shared
	// processor with the embedded contexts only.
	JSONLD *jsonld.Processor
	// MaxBytes bounds the document; 0 means 1 MiB.
	MaxBytes int64
}

func (o *VerifyOptions) purpose() string {
	if o.ProofPurpose == "" {
		return AssertionMethod
	}
	return o.ProofPurpose
}

func (o *VerifyOptions) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}
