package resolver

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// ServiceStep selects services by the service and serviceType DID parameters and,
// with relativeRef, resolves it against their endpoints (§ 5.4.1).
//
// The CR returns the document with the selected services when accept is missing or a
// DID document type, and the endpoint URLs for "text/uri-list"; its own example 14
// and the HTTP binding (303 with Location) return the URL for a DID URL with no
// accept. This step follows the examples and the binding: the URLs (contentType
// text/uri-list) unless Accept names a DID document representation explicitly, which
// gives the document with only the selected services.
type ServiceStep struct{}

// Applies reports whether req has a service or serviceType parameter and no path
// (a path is the method's to interpret, see PathStep).
func (ServiceStep) Applies(req *Request) bool {
	return req.URL.Path == "" && (req.Params.Service != "" || req.Params.ServiceType != "")
}

// Dereference selects. No matching service or endpoint wraps did.ErrNotFound; a
// relativeRef that leaves the endpoint's path wraps did.ErrInvalidDIDURL (§ 13.7.1).
func (ServiceStep) Dereference(_ context.Context, req *Request) (*did.DereferencingResult, error) {
	doc := req.Resolved.DIDDocument
	selected := selectServices(req)
	if len(selected) == 0 {
		return nil, fmt.Errorf("%w: no service matches %s", did.ErrNotFound, truncate(req.URL.String()))
	}
	if wantsDocument(req.Options.Accept) {
		d := *doc
		d.Service = selected
		return documentResult(req, &d), nil
	}
	if a := strings.TrimSpace(req.Options.Accept); a != "" && !acceptsURIList(a) {
		return nil, fmt.Errorf("%w: %q for a service selection", did.ErrRepresentationNotSupported, truncate(a))
	}
	urls, err := endpointURLs(selected, req.Params.RelativeRef)
	if err != nil {
		return nil, err
	}
	if len(urls) == 0 {
		return nil, fmt.Errorf("%w: the selected services have no URL endpoints", did.ErrNotFound)
	}
	return &did.DereferencingResult{ContentStream: urls,
		DereferencingMetadata: did.DereferencingMetadata{ContentType: MediaTypeURIList}}, nil
}

// selectServices applies the service (by id, relative references resolved against
// the DID) and serviceType filters. A bare service value such as "files" is read as
// the fragment "#files", as in the DID Core and DID Resolution examples.
func selectServices(req *Request) []did.Service {
	doc := req.Resolved.DIDDocument
	base := req.URL.DID
	want := ""
	if s := req.Params.Service; s != "" {
		if !strings.HasPrefix(s, "did:") && !strings.ContainsAny(s[:1], "#/?") {
			s = "#" + s
		}
		want = absolute(base, s)
	}
	var out []did.Service
	for _, s := range doc.Service {
		if want != "" && absolute(base, s.ID) != want {
			continue
		}
		if t := req.Params.ServiceType; t != "" && !slices.Contains(s.Type, t) {
			continue
		}
		out = append(out, s)
	}
	return out
}

func absolute(base did.DID, ref string) string {
	if u, err := base.ResolveReference(ref); err == nil {
		return u.String()
	}
	return ref
}

func wantsDocument(accept string) bool {
	a := strings.TrimSpace(accept)
	if a == "" || acceptsURIList(a) {
		return false
	}
	mt, err := did.NegotiateRepresentation(a)
	return err == nil && strings.Contains(strings.ToLower(a), mt)
}

func acceptsURIList(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case MediaTypeURIList, "text/*", "*/*":
			return true
		}
	}
	return false
}

// endpointURLs collects the string endpoints of the selected services (maps are
// skipped) and resolves relativeRef against each (RFC 3986 § 5).
func endpointURLs(services []did.Service, relativeRef string) ([]string, error) {
	var ref *url.URL
	if relativeRef != "" {
		var err error
		if ref, err = url.Parse(relativeRef); err != nil || ref.IsAbs() || ref.Host != "" {
			return nil, fmt.Errorf("%w: relativeRef %q is not a relative reference", did.ErrInvalidDIDURL, truncate(relativeRef))
		}
	}
	var out []string
	for _, s := range services {
		for _, e := range s.ServiceEndpoint {
			if e.URI == "" {
				continue
			}
			u, err := resolveRef(e.URI, ref)
			if err != nil {
				return nil, err
			}
			out = append(out, u)
		}
	}
	return out, nil
}

// resolveRef appends ref to endpoint. The CR says RFC 3986 § 5 reference resolution,
// but its example 14 resolves "/some/path?query" against
// "https://example.com/messages/8377464" to
// "https://example.com/messages/8377464/some/path?query", and § 13.7.1 asks that the
// result never "traverse above the base path of the service endpoint URL", which RFC
// 3986 resolution of any absolute-path reference would. So the endpoint is read as a
// base directory: ref's path is joined below it, dot segments (decoded ones included)
// are removed, and a result outside the base path wraps did.ErrInvalidDIDURL. The
// query and fragment of ref replace the endpoint's.
func resolveRef(endpoint string, ref *url.URL) (string, error) {
	if ref == nil {
		return endpoint, nil
	}
	base, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("%w: service endpoint %q: %w", did.ErrInvalidDocument, truncate(endpoint), err)
	}
	basePath := strings.TrimSuffix(base.Path, "/")
	out := *base
	if ref.Path != "" {
		joined := basePath + "/" + strings.TrimPrefix(ref.Path, "/")
		clean := path.Clean(joined)
		if strings.HasSuffix(joined, "/") && clean != "/" {
			clean += "/"
		}
		if clean != basePath && !strings.HasPrefix(clean, basePath+"/") {
			return "", fmt.Errorf("%w: relativeRef leaves the service endpoint's path", did.ErrInvalidDIDURL)
		}
		out.Path, out.RawPath = clean, ""
	}
	if ref.RawQuery != "" || ref.ForceQuery {
		out.RawQuery, out.ForceQuery = ref.RawQuery, ref.ForceQuery
	}
	if ref.Fragment != "" {
		out.Fragment, out.RawFragment = ref.Fragment, ref.RawFragment
	}
	return out.String(), nil
}
