package jsonld

import (
	"fmt"
	"slices"
)

// The VC Data Model 2.0 context defines, inside the type-scoped context of
// VerifiablePresentation:
//
//	"verifiableCredential": {"@id": "cred:verifiableCredential", "@type": "@id",
//	  "@container": "@graph", "@context": null}
//
// json-gold v0.9.1 looks a term's container mapping up in the term's scoped context
// rather than in the active context (JSON-LD 1.1 Expansion step 13.5), so with
// "@context": null the "@graph" container is lost: an embedded credential's triples
// land in the default graph instead of a named graph of their own, and a presentation
// canonicalizes differently from every other implementation. Expand therefore expands
// such a presentation itself: the presentation without its credentials, then each
// credential as the standalone document that "@context": null makes it, wrapped in a
// graph object. Presentations under other contexts (VC 1.1 defines the term without a
// scoped context, which json-gold handles) are expanded as any document.
const (
	contextV2               = "https://www.w3.org/ns/credentials/v2"
	verifiableCredentialIRI = "https://www.w3.org/2018/credentials#verifiableCredential"
)

// embeddedCredentials returns a VC 2.0 presentation without its verifiableCredential
// member, and that member's values, when doc is one that has the member.
func embeddedCredentials(doc any) (map[string]any, []any, bool) {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, nil, false
	}
	creds, has := m["verifiableCredential"]
	if !has || !firstContextIs(m["@context"], contextV2) || !hasType(m["type"], "VerifiablePresentation") {
		return nil, nil, false
	}
	vp := make(map[string]any, len(m)-1)
	for k, v := range m {
		if k != "verifiableCredential" {
			vp[k] = v
		}
	}
	list, isList := creds.([]any)
	if !isList {
		list = []any{creds}
	}
	// A null is data loss, which the ordinary path reports.
	return vp, list, !slices.Contains(list, nil)
}

func firstContextIs(ctx any, want string) bool {
	if list, ok := ctx.([]any); ok && len(list) > 0 {
		ctx = list[0]
	}
	return ctx == want
}

func hasType(t any, want string) bool {
	if list, ok := t.([]any); ok {
		return slices.Contains(list, any(want))
	}
	return t == want
}

// expandPresentation expands vp and adds to its node the graph objects of creds: a
// credential object expanded on its own, or a reference (a string, "@type": "@id").
func (p *Processor) expandPresentation(vp map[string]any, creds []any) ([]any, error) {
	out, err := p.expand(vp)
	if err != nil {
		return nil, err
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("%w: a presentation expands to %d nodes", ErrProcessing, len(out))
	}
	node, ok := out[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: a presentation does not expand to a node object", ErrProcessing)
	}
	graphs := make([]any, 0, len(creds))
	for _, c := range creds {
		switch c := c.(type) {
		case string:
			graphs = append(graphs, map[string]any{"@graph": []any{map[string]any{"@id": c}}})
		default:
			e, err := p.Expand(c)
			if err != nil {
				return nil, err
			}
			graphs = append(graphs, map[string]any{"@graph": e})
		}
	}
	if len(graphs) > 0 {
		node[verifiableCredentialIRI] = graphs
	}
	return out, nil
}
