package compliance

import (
	"strings"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// Provenance identifies the model and prompt the assessment covered.
type Provenance struct {
	// ModelDigest and PromptDigest are SHA-256 digests in 64 lower-case hex digits, computed as
	// did:kakunin §4 says; for a did:kakunin subject they equal the DID's components.
	ModelDigest  string
	PromptDigest string
	ModelName    string
	ModelVersion string
	ModelCard    string // URL of the model card, or ""
}

// Party is the assessor: a DID or URL, and a display name.
type Party struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

func parseProvenance(v any, path string) (Provenance, error) {
	o, err := claims.AsObject(v, path, "modelDigest", "promptDigest", "modelName", "modelVersion", "modelCard")
	if err != nil {
		return Provenance{}, err
	}
	var p Provenance
	if p.ModelDigest, err = digest(o, "modelDigest"); err != nil {
		return Provenance{}, err
	}
	if p.PromptDigest, err = digest(o, "promptDigest"); err != nil {
		return Provenance{}, err
	}
	if p.ModelName, err = o.Str("modelName", false, maxText); err != nil {
		return Provenance{}, err
	}
	if p.ModelVersion, err = o.Str("modelVersion", false, maxText); err != nil {
		return Provenance{}, err
	}
	if p.ModelCard, err = o.Str("modelCard", false, maxURL); err != nil {
		return Provenance{}, err
	}
	if p.ModelCard != "" && !isHTTPURL(p.ModelCard) {
		return Provenance{}, claims.Malformed(claims.At(path, "modelCard"), nil, "must be an http(s) URL")
	}
	return p, nil
}

func digest(o claims.Object, name string) (string, error) {
	s, err := o.Str(name, true, 64)
	if err != nil {
		return "", err
	}
	if len(s) != 64 || strings.Trim(s, "0123456789abcdef") != "" {
		return "", claims.Malformed(claims.At(o.Path, name), nil, "must be a SHA-256 digest in 64 lower-case hex digits")
	}
	return s, nil
}

// checkKakuninSubject checks that the digests of a did:kakunin subject are the ones the
// DID commits to (did:kakunin §3.3: model-digest ":" prompt-digest ":" owner-key).
func checkKakuninSubject(did string, p Provenance, path string) error {
	rest, ok := strings.CutPrefix(did, "did:kakunin:")
	if !ok {
		return nil
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return claims.Malformed(claims.At(path, "id"), nil, "not a did:kakunin identifier")
	}
	if parts[0] != p.ModelDigest {
		return claims.Malformed(path+"/modelProvenance/modelDigest", nil, "differs from the model digest in the subject DID")
	}
	if parts[1] != p.PromptDigest {
		return claims.Malformed(path+"/modelProvenance/promptDigest", nil, "differs from the prompt digest in the subject DID")
	}
	return nil
}

func parseParty(v any, path string) (Party, error) {
	id, name, err := claims.Party(v, path, maxURL, maxText)
	return Party{ID: id, Name: name}, err
}

// isHTTPURL: "https://" or "http://" followed by at least one visible ASCII character.
func isHTTPURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	return ok && rest != "" && claims.IsAbsoluteURI(s)
}
