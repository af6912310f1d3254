package resolverhttp

import (
	"encoding/json/v2"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

// contentBody serialises the content of a successful dereferencing: a DID document
// in its representation, a verification method or service as a JSON(-LD) object
// with the @context of that representation (as in DID Resolution example 12), bytes
// as they are, anything else as JSON.
func contentBody(res *did.DereferencingResult, ch choice) ([]byte, string, error) {
	ctype := res.DereferencingMetadata.ContentType
	rep := ctype
	if ch.ctype != "" {
		ctype = ch.ctype
	}
	switch c := res.ContentStream.(type) {
	case *did.Document:
		b, err := c.Marshal(rep)
		return b, ctype, err
	case *did.VerificationMethod:
		return withContext(c, &did.Document{VerificationMethod: []did.VerificationMethod{*c}}, rep, ctype)
	case *did.Service:
		return withContext(c, &did.Document{}, rep, ctype)
	case []byte: // a method's resource, in its own media type
		return c, rep, nil
	}
	b, err := json.Marshal(res.ContentStream)
	if ctype == "" {
		ctype = "application/json"
	}
	return b, ctype, err
}

// withContext marshals v, an object, with the @context a document holding it would
// have in representation rep (none for application/did+json).
func withContext(v any, holder *did.Document, rep, ctype string) ([]byte, string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	ctx, err := holder.ContextFor(rep)
	if err != nil || len(ctx) == 0 || len(b) < 2 || b[0] != '{' {
		return b, ctype, nil
	}
	var cb []byte
	if len(ctx) == 1 {
		cb, err = json.Marshal(ctx[0])
	} else {
		cb, err = json.Marshal(ctx)
	}
	if err != nil {
		return nil, "", fmt.Errorf("@context: %w", err)
	}
	sep := ","
	if string(b) == "{}" {
		sep = ""
	}
	out := append([]byte(`{"@context":`), cb...)
	out = append(out, sep...)
	return append(out, b[1:]...), ctype, nil
}
