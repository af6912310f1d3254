package compliance

import (
	"maps"
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

func parseProvenance(v any, path string) (Provenance, error) { return provenance(v, path, true) }

// parseRequestProvenance reads the modelProvenance of claims for [NewCredential], whose
// digests may be absent (NewCredential takes them from a did:kakunin subject).
func parseRequestProvenance(v any, path string) (Provenance, error) {
	return provenance(v, path, false)
}

func provenance(v any, path string, digests bool) (Provenance, error) {
	o, err := claims.AsObject(v, path, "modelDigest", "promptDigest", "modelName", "modelVersion", "modelCard")
	if err != nil {
		return Provenance{}, err
	}
	var p Provenance
	if p.ModelDigest, err = digest(o, "modelDigest", digests); err != nil {
		return Provenance{}, err
	}
	if p.PromptDigest, err = digest(o, "promptDigest", digests); err != nil {
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

func digest(o claims.Object, name string, required bool) (string, error) {
	s, err := o.Str(name, required, 64)
	if err != nil || s == "" {
		return "", err
	}
	if !isDigest(s) {
		return "", claims.Malformed(claims.At(o.Path, name), nil, "must be a SHA-256 digest in 64 lower-case hex digits")
	}
	return s, nil
}

// checkKakuninSubject checks that the digests of a did:kakunin subject, whose three
// components parseSubject checked, are the ones the DID commits to (did:kakunin §3.3:
// model-digest ":" prompt-digest ":" owner-key).
func checkKakuninSubject(did string, p Provenance, path string) error {
	parts, ok := kakuninComponents(did)
	switch {
	case !ok:
		return nil
	case parts[0] != p.ModelDigest:
		return claims.Malformed(path+"/modelProvenance/modelDigest", nil, "differs from the model digest in the subject DID")
	case parts[1] != p.PromptDigest:
		return claims.Malformed(path+"/modelProvenance/promptDigest", nil, "differs from the prompt digest in the subject DID")
	}
	return nil
}

// kakuninComponents splits the method-specific id of a did:kakunin DID at its colons
// (model-digest, prompt-digest, owner-key when well formed); ok is false for other methods.
func kakuninComponents(did string) ([]string, bool) {
	rest, ok := strings.CutPrefix(did, "did:kakunin:")
	if !ok {
		return nil, false
	}
	return strings.Split(rest, ":"), true
}

// fillDigests sets in the subject's modelProvenance the model and prompt digests that a
// did:kakunin subject commits to, where the claims omit them. Digests present are left for
// [checkKakuninSubject] to compare; a DID whose components are not digests is left to it too.
func fillDigests(subject map[string]any, did string) {
	parts, ok := kakuninComponents(did)
	if !ok || len(parts) != 3 || !isDigest(parts[0]) || !isDigest(parts[1]) {
		return
	}
	p, _ := subject["modelProvenance"].(map[string]any)
	p = maps.Clone(p) // the claims' own map is shared with every credential built from them
	if p == nil {
		p = map[string]any{}
	}
	for name, value := range map[string]string{"modelDigest": parts[0], "promptDigest": parts[1]} {
		if _, given := p[name]; !given {
			p[name] = value
		}
	}
	subject["modelProvenance"] = p
}

// isDigest: 64 lower-case hex digits (did:kakunin §3.3).
func isDigest(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
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
