package kakunin

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

func TestDereferencePath(t *testing.T) {
	s, a, b := rotation(t, 4, time.Time{})
	d := s.p.id.String()
	tests := []struct {
		name, url string
		opts      did.ResolutionOptions
		wantType  string
		want      []*x509.Certificate // the chain, or the owner CA alone
		wantErr   error
	}{
		{"chain of the current certificate", d + "/certificates/" + Thumbprint(b), did.ResolutionOptions{}, MediaTypePEMChain, []*x509.Certificate{b, s.p.owner}, nil},
		{"chain in a past version", d + "/certificates/" + Thumbprint(a), did.ResolutionOptions{VersionID: "2"}, MediaTypePEMChain, []*x509.Certificate{a, s.p.owner}, nil},
		{"revoked certificate", d + "/certificates/" + Thumbprint(a), did.ResolutionOptions{}, "", nil, did.ErrNotFound},
		{"owner CA", d + "/owner-ca", did.ResolutionOptions{Accept: "application/pkix-cert"}, MediaTypePKIXCert, []*x509.Certificate{s.p.owner}, nil},
		{"owner CA, any type", d + "/owner-ca", did.ResolutionOptions{Accept: "*/*"}, MediaTypePKIXCert, []*x509.Certificate{s.p.owner}, nil},
		{"unacceptable type", d + "/owner-ca", did.ResolutionOptions{Accept: "application/json, application/pkix-cert;q=0"}, "", nil, did.ErrRepresentationNotSupported},
		{"unknown path", d + "/keys", did.ResolutionOptions{}, "", nil, did.ErrNotFound},
		{"empty thumbprint", d + "/certificates/", did.ResolutionOptions{}, "", nil, did.ErrNotFound},
		{"unknown query", d + "/owner-ca?format=pem", did.ResolutionOptions{}, "", nil, did.ErrNotFound},
		{"no such version", d + "/owner-ca", did.ResolutionOptions{VersionID: "9"}, "", nil, did.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := did.ParseURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.r.DereferencePath(context.Background(), u, tc.opts)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.DereferencingMetadata.ContentType != tc.wantType {
				t.Errorf("content type %s", res.DereferencingMetadata.ContentType)
			}
			// The content lives no longer than the document it belongs to.
			ropts := tc.opts
			ropts.Accept = ""
			if doc, err := s.r.Resolve(context.Background(), d, ropts); err != nil || doc.DIDDocumentMetadata.NextUpdate.IsZero() ||
				!res.Expires.Equal(doc.DIDDocumentMetadata.NextUpdate) {
				t.Errorf("Expires %v, want the document's nextUpdate (%v)", res.Expires, err)
			}
			body, _ := res.ContentStream.([]byte)
			if got := decodeContent(t, tc.wantType, body); len(got) != len(tc.want) {
				t.Fatalf("%d certificates, want %d", len(got), len(tc.want))
			} else {
				for i := range got {
					if !bytes.Equal(got[i], tc.want[i].Raw) {
						t.Errorf("certificate %d differs", i)
					}
				}
			}
		})
	}
}

func decodeContent(t *testing.T, mediaType string, body []byte) [][]byte {
	t.Helper()
	if mediaType == MediaTypePKIXCert {
		return [][]byte{body}
	}
	var ders [][]byte
	for block, rest := pem.Decode(body); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			t.Fatalf("PEM block %s", block.Type)
		}
		ders = append(ders, block.Bytes)
	}
	return ders
}

func TestDereferenceDeactivated(t *testing.T) {
	s, _, _ := rotation(t, 4, time.Time{})
	s.reg.event(s.p.id.String(), EventDeactivated, t0.Add(4*time.Hour), nil)
	u, _ := did.ParseURL(s.p.id.String() + "/owner-ca")
	if _, err := s.r.DereferencePath(context.Background(), u, did.ResolutionOptions{}); !errors.Is(err, did.ErrDeactivated) {
		t.Errorf("err %v, want ErrDeactivated", err)
	}
}

// FuzzDereferencePath: any DID URL path of the fixture DID dereferences without
// panicking, to content or to an error of a DID Resolution kind.
func FuzzDereferencePath(f *testing.F) {
	s, a, _ := rotation(f, 4, time.Time{})
	for _, seed := range []string{"/owner-ca", "/certificates/" + Thumbprint(a), "/certificates/", "/x?versionId=1", "/owner-ca?service=x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tail string) {
		u, err := did.ParseURL(s.p.id.String() + tail)
		if err != nil {
			return
		}
		res, err := s.r.DereferencePath(context.Background(), u, did.ResolutionOptions{})
		if err != nil {
			var kind *did.ErrorKind
			if !errors.As(err, &kind) {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		if _, ok := res.ContentStream.([]byte); !ok || res.DereferencingMetadata.ContentType == "" {
			t.Fatalf("result %+v", res)
		}
	})
}
