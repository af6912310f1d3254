package kakunin

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Reasons a certificate is listed in kakunin.excludedCertificates (spec §10.2).
const (
	ReasonExpired           = "expired"           // outside its validity period at the resolution time
	ReasonInvalidChain      = "invalidChain"      // the chain fails spec §8
	ReasonMalformed         = "malformed"         // the registry's DER does not parse
	ReasonRevoked           = "revoked"           // revoked (registry, OCSP or CRL)
	ReasonRevocationUnknown = "revocationUnknown" // no verified revocation answer (hard-fail)
	ReasonLimit             = "limit"             // beyond ResolverOptions.MaxCertificates
)

// resolution is what resolving a DID found: the active chains and the metadata.
type resolution struct {
	at          time.Time
	active      [][]*x509.Certificate
	meta        did.DocumentMetadata
	ownerCA     *x509.Certificate
	trust       TrustResult
	excluded    []Excluded
	revocations []RevocationUsed
	expiry      time.Time // earliest notAfter of the active chains
	revNext     time.Time // earliest nextUpdate of the revocation answers used
	historical  bool
	nextVersion time.Time // time of the version after the one resolved, if any
	predecessor string    // the DID this one succeeds, by a verified link
	successor   string    // the DID that succeeds this one, by a verified link
	alsoKnownAs []string  // the predecessor while both have a valid certificate
}

// Excluded is an entry of kakunin.excludedCertificates.
type Excluded struct {
	Thumbprint string `json:"x5t#S256"`
	Reason     string `json:"reason"`
	Detail     string `json:"detail,omitempty"`
}

// RevocationUsed is an entry of kakunin.revocation: the answer that let an active
// certificate into the document.
type RevocationUsed struct {
	Thumbprint string `json:"x5t#S256"`
	Source     string `json:"source"` // "OCSP", "CRL" or "registry" (past versions)
	URL        string `json:"url,omitempty"`
	ThisUpdate string `json:"thisUpdate,omitempty"`
	NextUpdate string `json:"nextUpdate,omitempty"`
	Cached     bool   `json:"cached,omitzero"`
	Stale      bool   `json:"stale,omitzero"`
}

// OwnerCAInfo is kakunin.ownerCA.
type OwnerCAInfo struct {
	Subject string `json:"subject"`
	SHA256  string `json:"sha256"`
}

// Metadata is the kakunin member of the DID document metadata (spec §10.2).
type Metadata struct {
	OwnerCA              *OwnerCAInfo     `json:"ownerCA,omitempty"`
	TrustRoot            string           `json:"trustRoot"`
	ActiveCertificates   int              `json:"activeCertificates"`
	ExcludedCertificates []Excluded       `json:"excludedCertificates,omitempty"`
	Revocation           []RevocationUsed `json:"revocation,omitempty"`
	Predecessor          string           `json:"predecessor,omitempty"`
	Successor            string           `json:"successor,omitempty"`
}

func newResolution(at time.Time) *resolution { return &resolution{at: at} }

// exclude records a certificate left out of the document.
func (st *resolution) exclude(cert *x509.Certificate, thumbprint, reason string, err error) {
	if thumbprint == "" && cert != nil {
		thumbprint = Thumbprint(cert)
	}
	e := Excluded{Thumbprint: thumbprint, Reason: reason}
	if err != nil {
		e.Detail = err.Error()
	}
	st.excluded = append(st.excluded, e)
}

// admit records an active chain.
func (st *resolution) admit(v *Verified, used RevocationUsed, next time.Time) {
	st.active = append(st.active, v.Chain)
	st.revocations = append(st.revocations, used)
	st.expiry = earliest(st.expiry, v.NotAfter)
	st.revNext = earliest(st.revNext, next)
	st.ownerCA, st.trust = v.OwnerCA(), v.TrustRoot
}

// result builds the resolution result; a deactivated DID gives did.ErrDeactivated
// with it.
func (st *resolution) result(id ID, mediaType string, opts DocumentOptions) (*did.ResolutionResult, error) {
	var doc *did.Document
	if st.meta.Deactivated {
		doc = deactivatedDocument(id, opts)
	} else {
		var err error
		if doc, err = DeriveDocument(id, st.active, opts); err != nil {
			return nil, fmt.Errorf("%w: %w", did.ErrInternal, err)
		}
		st.meta.NextUpdate = st.nextUpdate()
		doc.AlsoKnownAs = st.alsoKnownAs
	}
	ctx, err := doc.ContextFor(mediaType)
	if err != nil {
		return nil, err
	}
	doc.Context = ctx
	section, err := json.Marshal(st.section(), json.Deterministic(true))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", did.ErrInternal, err)
	}
	st.meta.Method = map[string]jsontext.Value{"kakunin": section}
	res := &did.ResolutionResult{DIDDocument: doc, DIDDocumentMetadata: st.meta,
		DIDResolutionMetadata: did.ResolutionMetadata{ContentType: mediaType}}
	if st.meta.Deactivated {
		return res, did.ErrDeactivated
	}
	return res, nil
}

func (st *resolution) nextUpdate() time.Time {
	// DID Core: nextUpdate is the time of the next update of a version that is not
	// the latest. A did:kakunin document also changes, without an event, when a
	// certificate expires or a revocation answer runs out (spec §10.2).
	if st.historical {
		return earliest(st.nextVersion, st.expiry)
	}
	return earliest(st.expiry, st.revNext)
}

func (st *resolution) section() Metadata {
	m := Metadata{TrustRoot: st.trust.String(), ActiveCertificates: len(st.active),
		ExcludedCertificates: st.excluded, Revocation: st.revocations,
		Predecessor: st.predecessor, Successor: st.successor}
	if st.ownerCA != nil {
		sum := sha256.Sum256(st.ownerCA.Raw)
		m.OwnerCA = &OwnerCAInfo{Subject: st.ownerCA.Subject.String(), SHA256: base64.RawURLEncoding.EncodeToString(sum[:])}
	}
	return m
}
