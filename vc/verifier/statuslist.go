package verifier

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// verifyList checks a status list credential as the status checker fetched it: a compact JWS
// when it was served as application/vc+jwt (or, untyped, does not look like JSON), otherwise
// JSON secured with Data Integrity proofs. Both are held to the rules of VerifyCredential for
// a credential: the signer must be the list's issuer, its key found through the verifier's
// resolver and allowed by its cryptosuite, algorithm and key-type policy, and a list whose
// signature covers the JSON alone must be conforming JSON-LD. The status checker then
// requires that issuer to be the credential's (status.Options.TrustListIssuer) and remembers
// the lists whose bytes verified (status.Options.ProofMemoTTL).
func (v *Verifier) verifyList(ctx context.Context, doc status.Document) (*status.Verified, error) {
	if doc.IsJWT() {
		return v.verifyJWTList(ctx, doc.Body)
	}
	return v.verifyDIList(ctx, doc.Body)
}

// verifyDIList verifies a list credential secured with Data Integrity proofs.
func (v *Verifier) verifyDIList(ctx context.Context, raw []byte) (*status.Verified, error) {
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	c, err := vc.ParseCredentialObject(obj, vc.ParseOptions{})
	if err != nil {
		return nil, err
	}
	pc := proofCheck{signer: c.Issuer().ID, mismatch: ErrIssuerMismatch}
	r, err := dataintegrity.VerifyObject(ctx, obj, v.proofOptions(v.cfg.Now(), pc))
	if _, err := v.proofResults(r, err, pc); err != nil {
		return nil, err
	}
	if !rdfcProofs(obj["proof"]) {
		if err := v.checkJSONLD(obj); err != nil {
			return nil, err
		}
	}
	return &status.Verified{Credential: c, Expires: proofsExpire(r)}, nil
}

// verifyJWTList verifies a list credential secured as application/vc+jwt (VC-JOSE-COSE
// §3.1.1): jose.VerifyCredential binds kid to the issuer and checks exp, nbf and the validity
// period at the verifier's clock.
func (v *Verifier) verifyJWTList(ctx context.Context, jws []byte) (*status.Verified, error) {
	vcred, err := jose.VerifyCredential(ctx, jws, v.joseOptions(v.cfg.Now()))
	if err != nil {
		return nil, err
	}
	if err := v.checkJSONLD(vcred.Credential.Document()); err != nil {
		return nil, err
	}
	return &status.Verified{Credential: vcred.Credential, Expires: jwtExpiry(vcred.Credential)}, nil
}

// proofsExpire is the earliest "expires" of verified Data Integrity proofs, or zero.
func proofsExpire(r *dataintegrity.Result) time.Time {
	var first time.Time
	for _, p := range r.Proofs {
		if e := p.Proof.Expires; !e.IsZero() && (first.IsZero() || e.Before(first)) {
			first = e
		}
	}
	return first
}

// jwtExpiry is the "exp" claim of a verified vc+jwt, a member of the credential (RFC 7519
// §4.1.4; jose.VerifyCredential checked that it is a NumericDate in the future), rounded down
// to the second, or zero without one.
func jwtExpiry(c *vc.Credential) time.Time {
	v, ok := c.Get("exp")
	if !ok {
		return time.Time{}
	}
	var f float64
	var err error
	switch n := v.(type) {
	case json.Number:
		f, err = strconv.ParseFloat(string(n), 64)
	case float64:
		f = n
	default:
		return time.Time{}
	}
	if err != nil || f < 0 || f > 1<<40 {
		return time.Time{}
	}
	return time.Unix(int64(math.Floor(f)), 0)
}
