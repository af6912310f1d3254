package issuer

import (
	"crypto"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// FormatJWT is the IssueOptions.Format that secures a credential as application/vc+jwt
// (VC-JOSE-COSE) and returns it as an EnvelopedVerifiableCredential.
const FormatJWT = "vc+jwt"

// DefaultMaxValidity bounds the validity period of an instance whose MaxValidity is zero:
// one calendar year, 366 days when it spans a 29 February.
const DefaultMaxValidity = 366 * 24 * time.Hour

// Instance is one issuing identity of a deployment.
type Instance struct {
	// Name identifies the instance in routes (/instances/{name}/…) and status list URLs:
	// 1 to 64 of a-z, 0-9 and "-". Required.
	Name string
	// DID is the issuer: a did:key, a did:web (served at /.well-known/did.json by the VC API)
	// or a did:kakunin. Required.
	DID string
	// VerificationMethod is the DID URL of Signer's public key in the DID document. Required;
	// for vc+jwt it must be a method that verifiers accept for JOSE (JsonWebKey).
	VerificationMethod string
	// Signer is the key (file or PKCS#11). Required.
	Signer crypto.Signer
	// Cryptosuite is the default Data Integrity cryptosuite; "" means eddsa-rdfc-2022.
	Cryptosuite string
	// AllowedScopes are the action patterns of vc/scope that the instance may grant in a
	// KakuninScopeCredential; empty means it grants none.
	AllowedScopes []string
	// MaxValidity bounds validUntil - validFrom; zero means DefaultMaxValidity.
	MaxValidity time.Duration
	// AllowUnresolvedSubjects lets the instance issue to subject DIDs that do not resolve
	// here, such as did:example ones (a general-purpose issuer; the W3C test suites issue
	// so). A subject that resolves is still checked (not deactivated), and a did:kakunin
	// subject always must resolve, with a valid certificate, for an owner the caller may
	// issue for.
	AllowUnresolvedSubjects bool
	// Tenant is the tenant that owns the instance, written in audit entries of changes made
	// by the system ("" means "system").
	Tenant string
	// Retired are verification methods the instance no longer signs with but that its did:web
	// document keeps listing for assertionMethod, so that credentials signed before a key
	// rotation still verify. Only a did:web instance may have them.
	Retired []RetiredMethod

	allowed []scope.ActionPattern
}

// RetiredMethod is a verification method of a did:web instance's former key.
type RetiredMethod struct {
	// ID is the method's DID URL, a fragment of the instance's DID other than
	// VerificationMethod.
	ID string
	// Public is the former public key (Ed25519 or ECDSA P-256/P-384).
	Public crypto.PublicKey
}

func (in *Instance) check() error {
	if !validName(in.Name) {
		return fmt.Errorf("issuer: instance name %q: want 1 to 64 of a-z, 0-9 and -", in.Name)
	}
	if _, err := did.Parse(in.DID); err != nil {
		return fmt.Errorf("issuer: instance %s: DID: %w", in.Name, err)
	}
	if !strings.HasPrefix(in.VerificationMethod, in.DID+"#") {
		return fmt.Errorf("issuer: instance %s: verification method must be a fragment of its DID", in.Name)
	}
	if in.Signer == nil {
		return fmt.Errorf("issuer: instance %s: no signer", in.Name)
	}
	if in.Cryptosuite == "" {
		in.Cryptosuite = dataintegrity.EdDSARDFC2022
	}
	if in.MaxValidity <= 0 {
		in.MaxValidity = DefaultMaxValidity
	}
	in.allowed = in.allowed[:0]
	for _, p := range in.AllowedScopes {
		ap, err := scope.ParseActionPattern(p)
		if err != nil {
			return fmt.Errorf("issuer: instance %s: allowed scope: %w", in.Name, err)
		}
		in.allowed = append(in.allowed, ap)
	}
	return in.checkRetired()
}

// checkRetired checks that retired methods belong to a did:web instance, are fragments of its
// DID and are distinct from each other and from the current method.
func (in *Instance) checkRetired() error {
	if len(in.Retired) > 0 && !strings.HasPrefix(in.DID, "did:web:") {
		return fmt.Errorf("issuer: instance %s: only a did:web instance lists retired keys", in.Name)
	}
	seen := map[string]bool{in.VerificationMethod: true}
	for _, r := range in.Retired {
		if !strings.HasPrefix(r.ID, in.DID+"#") || seen[r.ID] {
			return fmt.Errorf("issuer: instance %s: retired method %q: want a distinct fragment of the DID", in.Name, clip(r.ID))
		}
		seen[r.ID] = true
		if _, err := did.EncodeMultikey(r.Public); err != nil {
			return fmt.Errorf("issuer: instance %s: retired method %s: %w", in.Name, r.ID, err)
		}
	}
	return nil
}

func (in *Instance) tenant() string {
	if in.Tenant == "" {
		return "system"
	}
	return in.Tenant
}

func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// DIDDocument returns the DID document of a did:web instance, to be served at the path its
// DID names (/.well-known/did.json for a DID without path): the Multikey verification method
// VerificationMethod, for assertionMethod and authentication, then the Retired methods, for
// assertionMethod only (they verify what was signed before a rotation and authenticate
// nothing). It fails for other methods, whose documents come from their own method.
func (in *Instance) DIDDocument() (*did.Document, error) {
	if !strings.HasPrefix(in.DID, "did:web:") {
		return nil, errors.New("issuer: not a did:web instance")
	}
	vm, err := did.NewMultikeyMethod(in.VerificationMethod, in.DID, in.Signer.Public())
	if err != nil {
		return nil, fmt.Errorf("issuer: instance %s: %w", in.Name, err)
	}
	doc := &did.Document{
		ID:                 in.DID,
		VerificationMethod: []did.VerificationMethod{vm},
		AssertionMethod:    []did.MethodRef{{Ref: in.VerificationMethod}},
		Authentication:     []did.MethodRef{{Ref: in.VerificationMethod}},
	}
	for _, r := range in.Retired {
		old, err := did.NewMultikeyMethod(r.ID, in.DID, r.Public)
		if err != nil {
			return nil, fmt.Errorf("issuer: instance %s: %w", in.Name, err)
		}
		doc.VerificationMethod = append(doc.VerificationMethod, old)
		doc.AssertionMethod = append(doc.AssertionMethod, did.MethodRef{Ref: r.ID})
	}
	return doc, nil
}
