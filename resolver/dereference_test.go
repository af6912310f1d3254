package resolver

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
)

// pathMethod serves one DID URL path, as did:kakunin serves certificate chains.
type pathMethod struct{ fakeMethod }

func (p *pathMethod) DereferencePath(_ context.Context, u did.URL, _ did.ResolutionOptions) (*did.DereferencingResult, error) {
	if u.Path != "/chain" {
		return nil, did.ErrNotFound
	}
	return &did.DereferencingResult{ContentStream: []byte("-----BEGIN CERTIFICATE-----\n"),
		DereferencingMetadata: did.DereferencingMetadata{ContentType: "application/pem-certificate-chain"}}, nil
}

var _ PathDereferencer = (*pathMethod)(nil)

func TestDereference(t *testing.T) {
	r := newTestRegistry(t, &fakeMethod{})
	uriList := DereferenceOptions{Accept: MediaTypeURIList}
	cases := []struct {
		name, url string
		opts      DereferenceOptions
		want      any // *did.Document (id), "vm:<id>", "svc:<id>", []string
		ctype     string
	}{
		{"document", exDID, DereferenceOptions{}, "doc", did.MediaTypeDID},
		{"document with versionId", exDID + "?versionId=3", DereferenceOptions{}, "doc", did.MediaTypeDID},
		{"document as application/did", exDID, DereferenceOptions{Accept: did.MediaTypeDID}, "doc", did.MediaTypeDID},
		{"relative method id", exDID + "#key-1", DereferenceOptions{}, "vm:#key-1", did.MediaTypeDID},
		{"absolute method id", exDID + "#key-2", DereferenceOptions{}, "vm:" + exDID + "#key-2", did.MediaTypeDID},
		{"authorized method", exDID + "#key-1", DereferenceOptions{VerificationRelationship: did.AssertionMethod}, "vm:#key-1", did.MediaTypeDID},
		{"service by fragment", exDID + "#files", DereferenceOptions{}, "svc:#files", did.MediaTypeDID},
		{"unknown fragment gives the document", exDID + "#nothing", DereferenceOptions{}, "doc", did.MediaTypeDID},
		{"service relativeRef", exDID + "?service=files&relativeRef=%2Fresume.pdf", DereferenceOptions{},
			[]string{"https://example.com/files/resume.pdf"}, MediaTypeURIList},
		{"spec example 14", exDID + "?service=messages&relativeRef=%2Fsome%2Fpath%3Fquery#frag", uriList,
			[]string{"https://example.com/messages/8377464/some/path?query#frag"}, MediaTypeURIList},
		{"absolute service id", exDID + "?service=" + "did:example:123%23messages", DereferenceOptions{},
			[]string{"https://example.com/messages/8377464"}, MediaTypeURIList},
		{"serviceType skips map endpoints", exDID + "?serviceType=FileService", DereferenceOptions{},
			[]string{"https://example.com/files/"}, MediaTypeURIList},
		{"service selection as document", exDID + "?serviceType=DIDCommMessaging", DereferenceOptions{Accept: did.MediaTypeDID},
			"doc:1", did.MediaTypeDID},
		{"method path", exDID + "/chain", DereferenceOptions{}, "bytes", "application/pem-certificate-chain"},
	}
	pm := &pathMethod{}
	rp := New()
	_ = rp.Register("example", pm)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := r
			if c.ctype == "application/pem-certificate-chain" {
				reg = rp
			}
			res, err := reg.Dereference(t.Context(), c.url, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.DereferencingMetadata.ContentType != c.ctype {
				t.Errorf("contentType = %q, want %q", res.DereferencingMetadata.ContentType, c.ctype)
			}
			checkContent(t, res.ContentStream, c.want)
		})
	}
}

func checkContent(t *testing.T, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case []string:
		if !reflect.DeepEqual(got, w) {
			t.Errorf("content = %v, want %v", got, w)
		}
	case string:
		switch {
		case w == "doc" || w == "doc:1":
			d, ok := got.(*did.Document)
			if !ok || d.ID != exDID || w == "doc:1" && len(d.Service) != 1 {
				t.Errorf("content = %#v, want the document", got)
			}
		case w == "bytes":
			if _, ok := got.([]byte); !ok {
				t.Errorf("content = %T", got)
			}
		case w[:3] == "vm:":
			vm, ok := got.(*did.VerificationMethod)
			if !ok || vm.ID != w[3:] {
				t.Errorf("content = %#v, want method %s", got, w[3:])
			}
		case w[:4] == "svc:":
			s, ok := got.(*did.Service)
			if !ok || s.ID != w[4:] {
				t.Errorf("content = %#v, want service %s", got, w[4:])
			}
		}
	}
}

func TestDereferenceErrors(t *testing.T) {
	r := newTestRegistry(t, &fakeMethod{})
	cases := []struct {
		name, url string
		opts      DereferenceOptions
		want      error
	}{
		{"invalid DID URL", "did:example:123#a#b", DereferenceOptions{}, did.ErrInvalidDIDURL},
		{"duplicate parameter", exDID + "?service=a&service=b", DereferenceOptions{}, did.ErrInvalidDIDURL},
		{"unknown method", "did:nope:1#x", DereferenceOptions{}, did.ErrMethodNotSupported},
		{"no such service", exDID + "?service=nope", DereferenceOptions{}, did.ErrNotFound},
		{"path traversal", exDID + "?service=files&relativeRef=%2F..%2F..%2Fetc%2Fpasswd", DereferenceOptions{}, did.ErrInvalidDIDURL},
		{"encoded traversal", exDID + "?service=files&relativeRef=%252E%252E%2F%2E%2E%2Fx", DereferenceOptions{}, did.ErrInvalidDIDURL},
		{"absolute relativeRef", exDID + "?service=files&relativeRef=https%3A%2F%2Fevil.example%2F", DereferenceOptions{}, did.ErrInvalidDIDURL},
		{"path without method support", exDID + "/whois", DereferenceOptions{}, did.ErrNotFound},
		{"unknown query parameter", exDID + "?transformKey=JsonWebKey", DereferenceOptions{}, did.ErrNotFound},
		{"document as text/html", exDID, DereferenceOptions{Accept: "text/html"}, did.ErrRepresentationNotSupported},
		{"service as text/html", exDID + "?service=files", DereferenceOptions{Accept: "text/html"}, did.ErrRepresentationNotSupported},
		{"not a method", exDID + "#files", DereferenceOptions{VerificationRelationship: did.Authentication}, did.ErrInvalidVerificationMethod},
		{"not authorized", exDID + "#key-2", DereferenceOptions{VerificationRelationship: did.AssertionMethod}, did.ErrInvalidRelationship},
		{"document is not a method", exDID, DereferenceOptions{VerificationRelationship: did.AssertionMethod}, did.ErrInvalidVerificationMethod},
		{"conflicting versionId", exDID + "?versionId=1", DereferenceOptions{Resolution: did.ResolutionOptions{VersionID: "2"}}, did.ErrInvalidOptions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := r.Dereference(t.Context(), c.url, c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if res.ContentStream != nil || res.DereferencingMetadata.Error == nil {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestDereferenceDeactivated(t *testing.T) {
	f := &fakeMethod{err: did.ErrDeactivated, meta: did.DocumentMetadata{Deactivated: true}}
	res, err := newTestRegistry(t, f).Dereference(t.Context(), exDID+"#key-1", DereferenceOptions{})
	if !errors.Is(err, did.ErrDeactivated) || !res.ContentMetadata.Deactivated || res.DereferencingMetadata.Error != nil {
		t.Fatalf("err = %v, res = %+v", err, res)
	}
}

func TestResolveRefStaysBelowEndpoint(t *testing.T) {
	cases := []struct{ endpoint, ref, want string }{
		{"https://example.com/files/", "/resume.pdf", "https://example.com/files/resume.pdf"},
		{"https://example.com/files", "resume.pdf", "https://example.com/files/resume.pdf"},
		{"https://example.com", "/a/b/../c?x=1", "https://example.com/a/c?x=1"},
		{"https://example.com/files/", "/a/", "https://example.com/files/a/"},
		{"https://example.com/files/", "?v=2", "https://example.com/files/?v=2"},
		{"https://example.com/files", "/..", ""},
		{"https://example.com/files", "/../files2/x", ""},
	}
	for _, c := range cases {
		t.Run(c.endpoint+c.ref, func(t *testing.T) {
			urls, err := endpointURLs([]did.Service{{ServiceEndpoint: []did.Endpoint{{URI: c.endpoint}}}}, c.ref)
			if c.want == "" {
				if !errors.Is(err, did.ErrInvalidDIDURL) {
					t.Fatalf("err = %v, urls = %v", err, urls)
				}
				return
			}
			if err != nil || len(urls) != 1 || urls[0] != c.want {
				t.Fatalf("got %v, %v; want %s", urls, err, c.want)
			}
		})
	}
}
