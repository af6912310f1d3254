package jose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// SignOptions are the parameters of [SignCredential] and [SignPresentation]. KeyID is
// required; the zero value of every other field leaves the matching header parameter or claim
// out.
type SignOptions struct {
	// KeyID is the absolute DID URL of the signer's verification method, written as "kid". Its
	// DID must be the credential's issuer (the presentation's holder, when it names one).
	KeyID string
	// Algorithm is the JWS "alg". Empty means the key's default: EdDSA for Ed25519, ES256 for
	// P-256, ES384 for P-384, PS256 for RSA. Otherwise it must suit the key.
	Algorithm Algorithm
	// Resolver, when set, is used to check before signing that KeyID is a JsonWebKey method
	// authorized for the relationship a verifier will require and holds the signer's public
	// key, so that nothing unverifiable is issued.
	Resolver did.Resolver
	// X5C is written as "x5c", the signer's certificate first.
	X5C []*x509.Certificate
	// ContentType is written as "cty". VC-JOSE-COSE: "When present, the cty header parameter
	// SHOULD be vc" (vp for a presentation).
	ContentType string
	// IssuedAt and Expires, when not zero, become the iat and exp claims: the issuance and
	// expiration time of the signature (VC-JOSE-COSE §3.1.3), not of the credential.
	IssuedAt, Expires time.Time
	// Audience and Nonce become the aud and nonce claims, binding a presentation to one
	// verifier and one request.
	Audience, Nonce string
	// Rand is the randomness for ECDSA and RSA-PSS; nil means crypto/rand.Reader.
	Rand io.Reader
}

// SignCredential secures cred as application/vc+jwt (VC-JOSE-COSE §3.1.1): a JWS in compact
// serialization whose payload is the credential itself, with typ vc+jwt and kid
// opts.KeyID. The signer may be any crypto.Signer (an HSM key among them); Ed25519 signers
// are called with crypto.Hash(0). Errors wrap [ErrHeader] (bad KeyID), [ErrSigner] (KeyID is
// not the issuer's), [ErrDataModel], [ErrAlgorithm], [ErrKeyMismatch], [ErrClaims] (an option's claim is
// already a member of the credential, or the credential has a vc or vp member),
// [ErrKeyResolution] or [ErrNotAuthorized] (with opts.Resolver), or the signer's error.
func SignCredential(ctx context.Context, cred *vc.Credential, signer crypto.Signer, opts SignOptions) ([]byte, error) {
	if err := checkSigner(opts.KeyID, cred.Issuer().ID, "issuer"); err != nil {
		return nil, err
	}
	if cred.Version() != vc.Version20 {
		return nil, fmt.Errorf("%w: the credential is Data Model %s", ErrDataModel, cred.Version())
	}
	payload, err := cred.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return sign(ctx, payload, cred, signer, opts, TypeCredential, did.AssertionMethod)
}

// checkSigner: the DID of kid must be the issuer (or holder) id. An empty id (a presentation
// without holder) is bound to kid's DID alone.
func checkSigner(kid, id, role string) error {
	u, err := did.ParseURL(kid)
	if err != nil {
		return fmt.Errorf("%w: KeyID must be an absolute DID URL: %w", ErrHeader, err)
	}
	if id != "" && u.DID.String() != id {
		return fmt.Errorf("%w: KeyID's DID is not the %s %q", ErrSigner, role, truncate(id))
	}
	return nil
}

func sign(ctx context.Context, payload []byte, doc document, signer crypto.Signer, opts SignOptions, typ string, rel did.Relationship) ([]byte, error) {
	alg, err := signingAlgorithm(signer.Public(), opts)
	if err != nil {
		return nil, err
	}
	if opts.Resolver != nil {
		if err := checkOwnKey(ctx, opts, signer.Public(), alg, rel); err != nil {
			return nil, err
		}
	}
	if payload, err = addClaims(payload, doc, opts); err != nil {
		return nil, err
	}
	header, err := Header{Algorithm: alg, KeyID: opts.KeyID, Type: typ, ContentType: opts.ContentType, X5C: opts.X5C}.marshal()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	input := signingInput(header, payload, signatureSize(signer.Public()))
	sig, err := signInput(signer, alg, input, opts.Rand)
	if err != nil {
		return nil, err
	}
	return assemble(input, sig), nil
}

// signingAlgorithm picks or checks the algorithm for pub, and checks that the first x5c
// certificate, if any, holds pub.
func signingAlgorithm(pub crypto.PublicKey, opts SignOptions) (Algorithm, error) {
	alg := opts.Algorithm
	if alg == "" {
		var err error
		if alg, err = defaultAlgorithm(pub); err != nil {
			return "", err
		}
	}
	if !knownAlgorithm(alg) {
		return "", fmt.Errorf("%w: %q is not supported", ErrAlgorithm, truncate(string(alg)))
	}
	if len(opts.X5C) > 0 && !sameKey(opts.X5C[0].PublicKey, pub) {
		return "", fmt.Errorf("%w: the first X5C certificate does not hold the signer's key", ErrKeyMismatch)
	}
	return alg, checkKey(alg, pub)
}

// checkOwnKey runs the verifier's key discovery on the header about to be written and
// compares the key found with the signer's.
func checkOwnKey(ctx context.Context, opts SignOptions, pub crypto.PublicKey, alg Algorithm, rel did.Relationship) error {
	k, err := discoverKey(ctx, opts.Resolver, Header{Algorithm: alg, KeyID: opts.KeyID, X5C: opts.X5C}, rel, false)
	if err != nil {
		if e, ok := err.(*vc.Error); ok {
			return fmt.Errorf("jose: %s: %w", e.Detail, e.Err)
		}
		return err
	}
	if !sameKey(k.pub, pub) {
		return fmt.Errorf("%w: %q does not hold the signer's public key", ErrKeyMismatch, truncate(opts.KeyID))
	}
	return nil
}

// addClaims puts the JWT claims of opts at the front of the payload object.
func addClaims(payload []byte, doc document, opts SignOptions) ([]byte, error) {
	for _, name := range []string{"vc", "vp"} {
		if _, ok := doc.Get(name); ok {
			return nil, fmt.Errorf("%w: the JWT claim %s must not be present", ErrClaims, name)
		}
	}
	claims := map[string]any{}
	if !opts.IssuedAt.IsZero() {
		claims["iat"] = opts.IssuedAt.Unix()
	}
	if !opts.Expires.IsZero() {
		claims["exp"] = opts.Expires.Unix()
	}
	if opts.Audience != "" {
		claims["aud"] = opts.Audience
	}
	if opts.Nonce != "" {
		claims["nonce"] = opts.Nonce
	}
	if len(claims) == 0 {
		return payload, nil
	}
	for name := range claims {
		if _, ok := doc.Get(name); ok {
			return nil, fmt.Errorf("%w: the document already has a member %s", ErrClaims, name)
		}
	}
	head, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	if len(payload) < 2 || payload[0] != '{' || bytes.Equal(payload, []byte("{}")) {
		return nil, fmt.Errorf("%w: the payload is not a non-empty JSON object", ErrClaims)
	}
	return append(append(head[:len(head)-1], ','), payload[1:]...), nil
}

func signatureSize(pub crypto.PublicKey) int {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return 2 * ((k.Curve.Params().BitSize + 7) / 8)
	case *rsa.PublicKey:
		return k.Size()
	}
	return 64
}

// signInput signs the JWS Signing Input with signer as alg prescribes (RFC 7518 §3.3-3.5,
// RFC 8037 §3.1).
func signInput(signer crypto.Signer, alg Algorithm, input []byte, random io.Reader) ([]byte, error) {
	if random == nil {
		random = rand.Reader
	}
	h, hh := alg.hash()
	if hh == nil { // EdDSA signs the message itself
		return signerCall(signer.Sign(random, input, crypto.Hash(0)))
	}
	hh.Write(input)
	digest := hh.Sum(nil)
	switch alg {
	case PS256:
		return signerCall(signer.Sign(random, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}))
	case ES256, ES384:
		der, err := signerCall(signer.Sign(random, digest, h))
		if err != nil {
			return nil, err
		}
		return fixedWidth(der, signer.Public().(*ecdsa.PublicKey))
	}
	return signerCall(signer.Sign(random, digest, h))
}

func signerCall(sig []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("jose: signing: %w", err)
	}
	return sig, nil
}

// fixedWidth converts a crypto.Signer's ASN.1 ECDSA signature into R || S, each left-padded
// to the size of the curve order (RFC 7518 §3.4).
func fixedWidth(der []byte, pub *ecdsa.PublicKey) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &rs)
	if err != nil || len(rest) != 0 || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 {
		return nil, fmt.Errorf("jose: signing: the signer returned a malformed ECDSA signature")
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	if rs.R.BitLen() > 8*size || rs.S.BitLen() > 8*size {
		return nil, fmt.Errorf("jose: signing: the signer returned a malformed ECDSA signature")
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}
