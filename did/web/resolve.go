package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/kakunin-dev/kakunin/did"
)

// acceptedTypes are the content types a did.json may be served with; the spec
// expects application/json from most web servers.
var acceptedTypes = map[string]bool{
	"application/json": true, "application/ld+json": true, did.MediaTypeDID: true,
	did.MediaTypeDIDJSON: true, did.MediaTypeDIDLDJSON: true,
}

// Resolve fetches and checks the DID document of id: status 200, an accepted JSON
// content type, at most MaxBodyBytes, a valid DID document (did.ParseDocument) whose
// id is the DID. did:web has no versions (versionId, versionTime:
// did.ErrFeatureNotSupported). Errors come with the matching error result.
func (r *Resolver) Resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	res, err := r.resolve(ctx, id, opts)
	if err != nil {
		return did.ErrorResult(err), err
	}
	return res, nil
}

func (r *Resolver) resolve(ctx context.Context, id string, opts did.ResolutionOptions) (*did.ResolutionResult, error) {
	mediaType, err := did.NegotiateRepresentation(opts.Accept)
	if err != nil {
		return nil, err
	}
	d, err := did.Parse(id)
	if err != nil {
		return nil, err
	}
	u, err := URL(d)
	if err != nil {
		return nil, err
	}
	if opts.VersionID != "" || !opts.VersionTime.IsZero() {
		return nil, fmt.Errorf("%w: did:web has no versions", did.ErrFeatureNotSupported)
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	body, err := r.fetch(ctx, u.String())
	if err != nil {
		return nil, err
	}
	doc, err := did.ParseDocument(body)
	if err != nil {
		return nil, err
	}
	if doc.ID != id {
		return nil, fmt.Errorf("%w: %w: %q", did.ErrInvalidDocument, ErrIDMismatch, truncate(doc.ID))
	}
	if doc.Context, err = doc.ContextFor(mediaType); err != nil {
		return nil, err
	}
	return &did.ResolutionResult{DIDDocument: doc, DIDResolutionMetadata: did.ResolutionMetadata{ContentType: mediaType}}, nil
}

func (r *Resolver) fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", did.ErrInvalidDID, err)
	}
	req.Header.Set("Accept", "application/did+json, application/did+ld+json, application/did, application/json;q=0.9")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, unreachable(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return nil, fmt.Errorf("%w: %w: status %d", did.ErrNotFound, ErrRedirect, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: %w: %d", did.ErrNotFound, ErrStatus, resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || !acceptedTypes[mt] {
		return nil, fmt.Errorf("%w: %w: %q", did.ErrInvalidDocument, ErrContentType, truncate(resp.Header.Get("Content-Type")))
	}
	if resp.ContentLength > r.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("%w: %w: %d bytes", did.ErrInvalidDocument, ErrTooLarge, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.cfg.MaxBodyBytes+1))
	if err == nil {
		err = ctx.Err() // a body cut short by the deadline may end without a read error
	}
	if err != nil {
		return nil, unreachable(err)
	}
	if int64(len(body)) > r.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("%w: %w: over %d bytes", did.ErrInvalidDocument, ErrTooLarge, r.cfg.MaxBodyBytes)
	}
	return body, nil
}

// unreachable classifies a transport error: a refused address keeps
// ErrForbiddenAddress, anything else (DNS, TCP, TLS, timeout) is ErrUnreachable.
func unreachable(err error) error {
	if errors.Is(err, ErrForbiddenAddress) {
		return fmt.Errorf("%w: %w", did.ErrNotFound, err)
	}
	return fmt.Errorf("%w: %w: %w", did.ErrNotFound, ErrUnreachable, err)
}
