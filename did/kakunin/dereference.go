package kakunin

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
)

// Media types of the resources of did:kakunin DID URL paths (spec §11).
const (
	MediaTypePEMChain = "application/pem-certificate-chain" // RFC 8555 §9.1
	MediaTypePKIXCert = "application/pkix-cert"             // RFC 2585
)

// DID URL paths (spec §11).
const (
	PathCertificates = "/certificates/"
	PathOwnerCA      = "/owner-ca"
)

// DereferencePath dereferences the DID URL paths of spec §11 against the version
// opts selects: "/certificates/T" is the chain of the verification method "#cert-T"
// as application/pem-certificate-chain, "/owner-ca" the owner CA certificate as
// application/pkix-cert (DER). The content stream is the resource's bytes. It is the
// optional path capability of the resolver package (resolver.PathDereferencer);
// fragments, services and the document itself are dereferenced there. An unknown
// path or query, or a certificate not in the document, wraps did.ErrNotFound; an
// Accept that excludes the media type wraps did.ErrRepresentationNotSupported; a
// deactivated DID gives did.ErrDeactivated.
func (r *Resolver) DereferencePath(ctx context.Context, u did.URL, opts did.ResolutionOptions) (*did.DereferencingResult, error) {
	mediaType, err := pathMediaType(u)
	if err != nil {
		return nil, err
	}
	if !accepts(opts.Accept, mediaType) {
		return nil, fmt.Errorf("%w: %s is served as %s", did.ErrRepresentationNotSupported, u.Path, mediaType)
	}
	opts.Accept = ""
	id, err := parseInput(u.DID.String())
	if err != nil {
		return nil, err
	}
	st, err := r.state(ctx, u.DID.String(), id, opts)
	if err != nil {
		return nil, err
	}
	if st.meta.Deactivated {
		return nil, fmt.Errorf("%w: %s", did.ErrDeactivated, u.DID)
	}
	content, err := st.pathContent(u.Path)
	if err != nil {
		return nil, err
	}
	return &did.DereferencingResult{ContentStream: content, Expires: st.nextUpdate(),
		DereferencingMetadata: did.DereferencingMetadata{ContentType: mediaType}}, nil
}

func pathMediaType(u did.URL) (string, error) {
	if u.Query != "" || u.ForceQuery {
		p, err := u.Params()
		if err != nil {
			return "", err
		}
		if len(p.Other) > 0 || p.Service != "" || p.ServiceType != "" || p.RelativeRef != "" {
			return "", fmt.Errorf("%w: did:kakunin defines no DID URL query parameters", did.ErrNotFound)
		}
	}
	switch {
	case u.Path == PathOwnerCA:
		return MediaTypePKIXCert, nil
	case strings.HasPrefix(u.Path, PathCertificates) && len(u.Path) > len(PathCertificates):
		return MediaTypePEMChain, nil
	}
	return "", fmt.Errorf("%w: did:kakunin defines no path %q", did.ErrNotFound, truncated(u.Path))
}

// pathContent returns the bytes of a path that pathMediaType accepted.
func (st *resolution) pathContent(path string) ([]byte, error) {
	if path == PathOwnerCA {
		if st.ownerCA == nil {
			return nil, fmt.Errorf("%w: no owner CA certificate is known", did.ErrNotFound)
		}
		return st.ownerCA.Raw, nil
	}
	t := strings.TrimPrefix(path, PathCertificates)
	for _, chain := range st.active {
		if Thumbprint(chain[0]) == t {
			return pemChain(chain), nil
		}
	}
	return nil, fmt.Errorf("%w: no active certificate %q", did.ErrNotFound, truncated(t))
}

func pemChain(chain []*x509.Certificate) []byte {
	var b []byte
	for _, c := range chain {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return b
}

// accepts reports whether an Accept value admits mediaType: empty, "*/*",
// "application/*" or the type itself with a non-zero q.
func accepts(accept, mediaType string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for part := range strings.SplitSeq(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		if mt != mediaType && mt != "*/*" && mt != "application/*" {
			continue
		}
		if !zeroQ(fields[1:]) {
			return true
		}
	}
	return false
}

func zeroQ(params []string) bool {
	for _, p := range params {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "q") && strings.Trim(strings.TrimSpace(v), "0.") == "" {
			return true
		}
	}
	return false
}
