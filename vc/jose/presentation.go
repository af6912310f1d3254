package jose

import (
	"context"
	"crypto"
	"fmt"
	"strconv"
	"strings"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// defaultMaxCredentials bounds a presentation's credentials when MaxCredentials is zero.
const defaultMaxCredentials = 64

// SignPresentation secures p as application/vp+jwt (VC-JOSE-COSE §3.1.2): typ vp+jwt, kid
// opts.KeyID, which a verifier looks up under authentication, and the aud and nonce claims
// from opts. Every credential in p must be an EnvelopedVerifiableCredential (§3.1.2:
// "Credentials in verifiable presentations MUST be secured"); use [Envelope] to wrap a
// vc+jwt credential. Errors are as for [SignCredential], plus [ErrUnsecuredCredential].
func SignPresentation(ctx context.Context, p *vc.Presentation, signer crypto.Signer, opts SignOptions) ([]byte, error) {
	if err := checkSigner(opts.KeyID, p.Holder().ID, "holder"); err != nil {
		return nil, err
	}
	if p.Version() != vc.Version20 {
		return nil, fmt.Errorf("%w: the presentation is Data Model %s", ErrDataModel, p.Version())
	}
	for i, pc := range p.Credentials() {
		if pc.Enveloped == nil {
			return nil, fmt.Errorf("%w: credential %d is not an EnvelopedVerifiableCredential", ErrUnsecuredCredential, i)
		}
	}
	payload, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return sign(ctx, payload, p, signer, opts, TypePresentation, did.Authentication)
}

// VerifiedPresentation is a presentation whose vp+jwt signature and every enveloped
// credential verified.
type VerifiedPresentation struct {
	Presentation *vc.Presentation
	Header       Header
	// Method is the holder's verification method that signed.
	Method did.VerificationMethod
	// Signer is the DID of kid: the holder, when the presentation names one.
	Signer string
	// Credentials are the presented credentials, verified, in document order.
	Credentials []*VerifiedCredential
}

// VerifyPresentation verifies a presentation secured as application/vp+jwt: as
// [VerifyCredential] does for a credential, except that "typ" must be vp+jwt, "kid" must be
// listed under authentication, its DID must be the holder (when the presentation names one),
// and "aud" and "nonce" must match opts.Audience and opts.Nonce when those are set. Then
// every presented credential must be an enveloped application/vc+jwt credential, and each is
// verified with [VerifyCredential] and opts; its errors point at it (/verifiableCredential/…).
func VerifyPresentation(ctx context.Context, data []byte, opts VerifyOptions) (*VerifiedPresentation, error) {
	token, key, err := verifyJWS(ctx, data, opts, TypePresentation, did.Authentication)
	if err != nil {
		return nil, err
	}
	pres, err := vc.ParsePresentation(token.payload, opts.parse())
	if err != nil {
		return nil, err
	}
	holder := pres.Holder().ID
	if holder != "" && holder != key.did {
		return nil, insecure(ErrSigner, "signed by %q, but the holder is %q", truncate(key.did), truncate(holder))
	}
	opts.Now = opts.now() // one clock reading for the presentation and its credentials
	checks := claimChecks{now: opts.Now, subject: key.did, audience: opts.Audience, nonce: opts.Nonce, bound: true}
	if err := checkClaims(pres, token.header, checks); err != nil {
		return nil, err
	}
	creds, err := verifyPresented(ctx, pres, opts)
	if err != nil {
		return nil, err
	}
	return &VerifiedPresentation{Presentation: pres, Header: token.header, Method: key.method, Signer: key.did, Credentials: creds}, nil
}

func verifyPresented(ctx context.Context, pres *vc.Presentation, opts VerifyOptions) ([]*VerifiedCredential, error) {
	presented := pres.Credentials()
	limit := opts.MaxCredentials
	if limit <= 0 {
		limit = defaultMaxCredentials
	}
	if len(presented) > limit {
		return nil, &vc.Error{Type: vc.RangeError, Path: "/verifiableCredential",
			Detail: fmt.Sprintf("more than %d credentials", limit)}
	}
	_, isArray := member(pres, "verifiableCredential").([]any)
	out := make([]*VerifiedCredential, 0, len(presented))
	for i, pc := range presented {
		path := "/verifiableCredential"
		if isArray {
			path += "/" + strconv.Itoa(i)
		}
		env := pc.Enveloped
		if env == nil || !strings.EqualFold(env.MediaType, MediaTypeCredential) {
			return nil, &vc.Error{Type: vc.MalformedValueError, Path: path, Err: ErrUnsecuredCredential,
				Detail: "credentials in a vp+jwt presentation must be enveloped application/vc+jwt credentials"}
		}
		v, err := VerifyCredential(ctx, env.Data, opts)
		if err != nil {
			return nil, inCredential(err, path)
		}
		out = append(out, v)
	}
	return out, nil
}

func member(p *vc.Presentation, name string) any {
	v, _ := p.Get(name)
	return v
}

// inCredential re-points an error of an enveloped credential at its place in the
// presentation, keeping its problem type and cause.
func inCredential(err error, path string) error {
	e, ok := err.(*vc.Error)
	if !ok {
		return err
	}
	out := *e
	out.Path = path
	out.Detail = "enveloped credential: " + e.Detail
	if e.Path != "" {
		out.Detail = "enveloped credential, at " + e.Path + ": " + e.Detail
	}
	return &out
}
