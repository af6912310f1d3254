package resolver

import (
	"context"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// Fragment dereferences the fragment of a DID URL against the resource (§ 5.4.2).
type Fragment struct{}

// Dereference applies the fragment of req.URL to res:
//
//   - a DID document: the verification method or service whose id is the DID URL
//     (relative ids resolved); with the verificationRelationship option, the method
//     must be listed under it (ErrInvalidVerificationMethod, ErrInvalidRelationship).
//     A fragment that names nothing leaves the whole document: the fragment then
//     identifies a secondary resource the client looks up in the media type's rules,
//     as RFC 3986 § 3.5 leaves it to the client;
//   - service endpoint URLs: each inherits the fragment; an endpoint that already has
//     one wraps did.ErrInvalidDIDURL (§ 5.4.2: "raise an error");
//   - anything else (a method's content) is returned unchanged.
func (Fragment) Dereference(_ context.Context, req *Request, res *did.DereferencingResult) (*did.DereferencingResult, error) {
	if req.URL.Fragment == "" && !req.URL.ForceFragment {
		return res, nil
	}
	switch c := res.ContentStream.(type) {
	case *did.Document:
		return fragmentOfDocument(req, res, c)
	case []string:
		urls := make([]string, len(c))
		for i, u := range c {
			if strings.Contains(u, "#") {
				return nil, fmt.Errorf("%w: service endpoint %q already has a fragment", did.ErrInvalidDIDURL, truncate(u))
			}
			urls[i] = u + "#" + req.URL.Fragment
		}
		out := *res
		out.ContentStream = urls
		return &out, nil
	}
	return res, nil
}

func fragmentOfDocument(req *Request, res *did.DereferencingResult, doc *did.Document) (*did.DereferencingResult, error) {
	ref := "#" + req.URL.Fragment
	out := *res
	out.ContentMetadata = did.DocumentMetadata{}
	if rel := req.Options.VerificationRelationship; rel != "" {
		vm, err := doc.Authorized(ref, rel)
		if err != nil {
			return nil, err
		}
		out.ContentStream = vm
		return &out, nil
	}
	if vm, ok := doc.VerificationMethodByID(ref); ok {
		out.ContentStream = vm
		return &out, nil
	}
	want := absolute(req.URL.DID, ref)
	for i := range doc.Service {
		if absolute(req.URL.DID, doc.Service[i].ID) == want {
			out.ContentStream = &doc.Service[i]
			return &out, nil
		}
	}
	return res, nil
}
