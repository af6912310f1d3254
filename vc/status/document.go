package status

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// Fetcher dereferences a statusListCredential URL and returns the list credential as served:
// JSON with an embedded proof, or a compact JWS, or any form the [CredentialVerifier] reads.
// The service serves its own lists from its store (issuer.Issuer.Fetcher, a [DocumentFetcher]
// that labels them application/vc); remote lists go through [HTTPFetcher]. A Fetcher must bound what it returns. A Fetcher that knows the media
// type of what it returns also implements [DocumentFetcher].
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// FetcherFunc adapts a function to [Fetcher].
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// DocumentFetcher is the optional capability of a [Fetcher] that reports the media type it
// received, as [HTTPFetcher] does; the [Checker] then refuses a media type outside those of
// [AcceptedMediaType] with STATUS_RETRIEVAL_ERROR and passes it to the [CredentialVerifier].
type DocumentFetcher interface {
	FetchDocument(ctx context.Context, url string) (Document, error)
}

// Document is a fetched status list credential.
type Document struct {
	Body []byte
	// MediaType is the media type it was served with, lower case and without parameters, or
	// "" when the source did not say (a plain [Fetcher], or a response without Content-Type).
	MediaType string
}

// Media types of status list credentials. Bitstring Status List §4: the list "might be any
// media type registered for the purpose of expressing a verifiable credential with one or
// more proofs … Some implementations might choose to support less specific media types such
// as application/ld+json or application/json." application/vc+ld+json is the name drafts of
// VC Data Model 2.0 gave application/vc; application/vc+jwt is VC-JOSE-COSE §6.1.1.
const (
	MediaTypeVC    = "application/vc"
	MediaTypeVCLD  = "application/vc+ld+json"
	MediaTypeLD    = "application/ld+json"
	MediaTypeJSON  = "application/json"
	MediaTypeVCJWT = "application/vc+jwt"
)

// AcceptedMediaType reports whether mediaType (lower case, without parameters) is one a
// status list credential is read in: the JSON forms of a credential with embedded proofs, or
// application/vc+jwt.
func AcceptedMediaType(mediaType string) bool {
	switch mediaType {
	case MediaTypeVC, MediaTypeVCLD, MediaTypeLD, MediaTypeJSON, MediaTypeVCJWT:
		return true
	}
	return false
}

// parseContentType reads a Content-Type value into the media type of a [Document]: "" for an
// absent value, the accepted media type without its parameters, or an error wrapping
// [ErrMediaType].
func parseContentType(value string) (string, error) {
	if value == "" {
		return "", nil
	}
	mt, _, err := mime.ParseMediaType(value)
	if err != nil || !AcceptedMediaType(mt) {
		return "", fmt.Errorf("%w: %s", ErrMediaType, quote(value))
	}
	return mt, nil
}

// IsJWT reports whether d is a compact JWS (application/vc+jwt) rather than JSON: by its media
// type when it has one, else by its body, which is JSON when it starts with "{".
func (d Document) IsJWT() bool {
	if d.MediaType != "" {
		return d.MediaType == MediaTypeVCJWT
	}
	return !bytes.HasPrefix(bytes.TrimLeft(d.Body, " \t\r\n"), []byte("{"))
}

// fetchDocument fetches url with f, with its media type when f reports it, and refuses a
// media type outside [AcceptedMediaType].
func fetchDocument(ctx context.Context, f Fetcher, url string) (Document, error) {
	df, ok := f.(DocumentFetcher)
	if !ok {
		body, err := f.Fetch(ctx, url)
		return Document{Body: body}, err
	}
	doc, err := df.FetchDocument(ctx, url)
	if err == nil && doc.MediaType != "" && !AcceptedMediaType(doc.MediaType) {
		return Document{}, fmt.Errorf("%w: %s", ErrMediaType, quote(doc.MediaType))
	}
	return doc, err
}

// CredentialVerifier checks every proof of a list credential (Data Integrity or VC-JOSE) under
// the verifier's trust policy, reading doc as its media type says (or, without one, as its
// body looks: [Document.IsJWT]), and returns the parsed credential. Any error is reported as a
// STATUS_VERIFICATION_ERROR wrapping it.
type CredentialVerifier interface {
	VerifyCredential(ctx context.Context, doc Document) (*Verified, error)
}

// Verified is a list credential whose proofs verified.
type Verified struct {
	Credential *vc.Credential
	// Expires, when not zero, is when a proof stops vouching for the credential: the "exp"
	// claim of a vc+jwt, the earliest "expires" of Data Integrity proofs. The list is neither
	// cached nor its verification remembered past it.
	Expires time.Time
}

// VerifierFunc adapts a function to [CredentialVerifier].
type VerifierFunc func(ctx context.Context, doc Document) (*Verified, error)

// VerifyCredential calls f.
func (f VerifierFunc) VerifyCredential(ctx context.Context, doc Document) (*Verified, error) {
	return f(ctx, doc)
}
