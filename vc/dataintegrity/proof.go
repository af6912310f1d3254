package dataintegrity

import (
	"net/url"
	"time"
)

// Proof is a Data Integrity proof as it appears in a secured document (VC Data
// Integrity 1.0 § 2.1 Proofs). Times are zero when absent.
type Proof struct {
	ID                 string
	Type               string // "DataIntegrityProof" or "Ed25519Signature2020"
	Cryptosuite        string // "" for Ed25519Signature2020
	VerificationMethod string
	ProofPurpose       string
	Created            time.Time
	Expires            time.Time
	Domain             []string
	Challenge          string
	Nonce              string
	PreviousProof      []string
	ProofValue         string
}

// maxProofs bounds the proofs of one document.
const maxProofs = 32

// parseProof reads the proof object m, the i-th of its document. Data
// Integrity § Verify Proof step 3: "If one or more of proof.type,
// proof.verificationMethod, and proof.proofPurpose does not exist, an error
// MUST be raised and SHOULD convey an error type of PROOF_VERIFICATION_ERROR."
func parseProof(m map[string]any, i int) (*Proof, error) {
	r := reader{m: m, i: i}
	p := &Proof{
		ID:                 r.str("id", false),
		Type:               r.str("type", true),
		Cryptosuite:        r.str("cryptosuite", false),
		VerificationMethod: r.str("verificationMethod", true),
		ProofPurpose:       r.str("proofPurpose", true),
		Created:            r.time("created"),
		Expires:            r.time("expires"),
		Domain:             r.strs("domain"),
		Challenge:          r.str("challenge", false),
		Nonce:              r.str("nonce", false),
		PreviousProof:      r.strs("previousProof"),
		ProofValue:         r.str("proofValue", true),
	}
	// Data Integrity § 2.1: id is "An optional identifier for the proof,
	// which MUST be a URL".
	if r.err == nil && p.ID != "" && !absoluteURL(p.ID) {
		r.bad("id", "must be a URL")
	}
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

// absoluteURL reports whether s parses as an absolute URL.
func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

// reader reads members of a proof object, keeping the first error.
type reader struct {
	m   map[string]any
	i   int
	err error
}

func (r *reader) bad(name, why string) {
	if r.err == nil {
		r.err = fail(MalformedProofError, r.i, nil, "proof.%s %s", name, why)
	}
}

func (r *reader) str(name string, required bool) string {
	v, ok := r.m[name]
	if !ok {
		if required {
			r.bad(name, "is missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok || s == "" {
		r.bad(name, "must be a non-empty string")
	}
	return s
}

// strs reads a string or a non-empty array of strings.
func (r *reader) strs(name string) []string {
	v, ok := r.m[name]
	if !ok {
		return nil
	}
	out, ok := stringSet(v)
	if !ok {
		r.bad(name, "must be a string or a non-empty array of strings")
	}
	return out
}

func (r *reader) time(name string) time.Time {
	s := r.str(name, false)
	if s == "" {
		return time.Time{}
	}
	t, err := parseDateTimeStamp(s)
	if err != nil {
		r.bad(name, "must be an XML Schema dateTimeStamp")
	}
	return t
}

// stringSet reads a string or a non-empty array of non-empty strings.
func stringSet(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, v != ""
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok || s == "" {
				return nil, false
			}
			out = append(out, s)
		}
		return out, len(out) > 0
	}
	return nil, false
}

// oneOrMany is the JSON value of a string set: a string for one element.
func oneOrMany(ss []string) any {
	if len(ss) == 1 {
		return ss[0]
	}
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
