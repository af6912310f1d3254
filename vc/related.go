package vc

import (
	"mime"
	"strings"
)

// RelatedResource is an entry of relatedResource (VC 2.0 §5.3): a resource the credential
// refers to, with one or more digests of its content.
type RelatedResource struct {
	ID              string
	MediaType       string   // "" when absent
	DigestSRI       []string // Subresource Integrity hash expressions, e.g. "sha384-…"
	DigestMultibase []string // multibase-encoded multihashes, e.g. "uEiB…"
	path            string
	multibaseArray  bool // digestMultibase was given as an array
}

// RelatedResource returns the relatedResource entry whose id is id.
func (c *Credential) RelatedResource(id string) (RelatedResource, bool) {
	for _, r := range c.related {
		if r.ID == id {
			return r, true
		}
	}
	return RelatedResource{}, false
}

// checkRelatedResources: VC 2.0 §5.3 "The value of the relatedResource property MUST be one or
// more objects", each with an id that "MUST be unique among the list of related resource
// objects", and "Each object … MUST contain at least a digestSRI or a digestMultibase value".
func checkRelatedResources(c *Credential, path string, _ ParseOptions) error {
	v, ok := c.doc["relatedResource"]
	if !ok || c.version != Version20 {
		return nil
	}
	p := at(path, "relatedResource")
	objs, err := objectList(v, p)
	if err != nil {
		return err
	}
	_, isArray := v.([]any)
	seen := make(map[string]bool, len(objs))
	for i, m := range objs {
		r, err := relatedResource(m, pathOf(p, isArray, i))
		if err != nil {
			return err
		}
		if seen[r.ID] {
			return malformed(at(r.path, "id"), "relatedResource ids must be unique")
		}
		seen[r.ID] = true
		c.related = append(c.related, r)
	}
	return nil
}

func relatedResource(m map[string]any, path string) (RelatedResource, error) {
	r := RelatedResource{path: path}
	idv, ok := m["id"]
	if !ok {
		return r, malformed(at(path, "id"), "a related resource needs an id")
	}
	var err error
	if r.ID, err = urlValue(idv, at(path, "id")); err != nil {
		return r, err
	}
	if mt, ok := m["mediaType"]; ok {
		s, _ := mt.(string)
		if !isMediaType(s) {
			return r, malformed(at(path, "mediaType"), "mediaType must be a media type")
		}
		r.MediaType = s
	}
	if r.DigestSRI, _, err = digestStrings(m, "digestSRI", path, checkSRI); err != nil {
		return r, err
	}
	if r.DigestMultibase, r.multibaseArray, err = digestStrings(m, "digestMultibase", path, checkMultihash); err != nil {
		return r, err
	}
	if len(r.DigestSRI) == 0 && len(r.DigestMultibase) == 0 {
		return r, malformed(path, "a related resource needs digestSRI or digestMultibase")
	}
	return r, nil
}

// isMediaType reports whether s is type "/" subtype, optionally with parameters (RFC 9110 §8.3.1).
func isMediaType(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	typ, sub, ok := strings.Cut(mt, "/")
	return err == nil && ok && typ != "" && sub != "" && !strings.Contains(sub, "/")
}

// digestStrings reads an optional member holding one or more digest strings, each checked by
// check, and whether they were given as an array.
func digestStrings(m map[string]any, name, path string, check func(string) error) ([]string, bool, error) {
	v, ok := m[name]
	if !ok {
		return nil, false, nil
	}
	items := oneOrMany(v)
	_, isArray := v.([]any)
	if len(items) == 0 {
		return nil, isArray, malformed(at(path, name), "%s must hold at least one digest", name)
	}
	out := make([]string, len(items))
	for i, item := range items {
		ip := pathOf(at(path, name), isArray, i)
		s, ok := item.(string)
		if !ok {
			return nil, isArray, malformed(ip, "a digest must be a string")
		}
		if err := check(s); err != nil {
			return nil, isArray, malformed(ip, "%v", err)
		}
		out[i] = s
	}
	return out, isArray, nil
}
