package jose

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// document is what the claim checks read: a parsed credential or presentation.
type document interface {
	Get(name string) (any, bool)
}

// claimChecks are the expectations of the verifier on the JWT claims.
type claimChecks struct {
	now      time.Time
	subject  string // the issuer id (credential) or holder id (presentation) that iss must equal
	audience string
	nonce    string
	// bound: the JWT is a presentation, which must carry audience and nonce when the verifier
	// expects them; a credential is checked against them only when it carries the claims.
	bound bool
}

// checkClaims applies the JWT claims found among the members of the payload.
func checkClaims(doc document, header Header, c claimChecks) error {
	// VC-JOSE-COSE §3.1.3: "The JWT Claim Names vc and vp MUST NOT be present."
	for _, name := range []string{"vc", "vp"} {
		if _, ok := doc.Get(name); ok {
			return malformed(ErrClaims, "the JWT claim %s must not be present", name)
		}
	}
	if err := checkIssuerClaim(doc, header, c.subject); err != nil {
		return err
	}
	if err := checkTimeClaims(doc, c.now); err != nil {
		return err
	}
	if err := checkAudience(doc, c.audience, c.bound); err != nil {
		return err
	}
	return checkNonce(doc, c.nonce, c.bound)
}

// checkIssuerClaim: VC-JOSE-COSE §4.1.2 "When issuer value is a string, iss value, if present,
// MUST match issuer value. When issuer value is an object with an id value, iss value, if
// present, MUST match issuer.id value." The same holds for iss replicated in the header.
func checkIssuerClaim(doc document, header Header, subject string) error {
	if header.Issuer != "" && header.Issuer != subject {
		return malformed(ErrClaims, "the iss header parameter %q is not %q", truncate(header.Issuer), truncate(subject))
	}
	v, ok := doc.Get("iss")
	if !ok {
		return nil
	}
	if s, _ := v.(string); s != subject {
		return malformed(ErrClaims, "the iss claim is not %q", truncate(subject))
	}
	return nil
}

// checkTimeClaims applies exp and nbf (RFC 7519 §4.1.4: "the current date/time MUST be before
// the expiration date/time listed in the "exp" claim"; §4.1.5: "MUST be after or equal to the
// not-before date/time") and checks that iat, if present, is a NumericDate.
func checkTimeClaims(doc document, now time.Time) error {
	exp, hasExp, err := numericDate(doc, "exp")
	if err != nil {
		return err
	}
	nbf, hasNbf, err := numericDate(doc, "nbf")
	if err != nil {
		return err
	}
	if _, _, err := numericDate(doc, "iat"); err != nil {
		return err
	}
	if hasExp && !now.Before(exp) {
		return &vc.Error{Type: vc.RangeError, Path: "/exp", Err: vc.ErrExpired,
			Detail: "the JWT expired at " + exp.UTC().Format(time.RFC3339)}
	}
	if hasNbf && now.Before(nbf) {
		return &vc.Error{Type: vc.RangeError, Path: "/nbf", Err: vc.ErrNotYetValid,
			Detail: "the JWT is not valid before " + nbf.UTC().Format(time.RFC3339)}
	}
	return nil
}

// numericDate reads a NumericDate claim (RFC 7519 §2: seconds since the epoch, possibly
// non-integer).
func numericDate(doc document, name string) (time.Time, bool, error) {
	v, ok := doc.Get(name)
	if !ok {
		return time.Time{}, false, nil
	}
	f, err := number(v)
	if err != nil || f < 0 || f > 1<<40 {
		return time.Time{}, false, &vc.Error{Type: vc.MalformedValueError, Path: "/" + name, Err: ErrClaims,
			Detail: "the JWT claim " + name + " must be a NumericDate"}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

func number(v any) (float64, error) {
	switch n := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(n), 64)
	case float64:
		return n, nil
	}
	return 0, strconv.ErrSyntax
}

// checkAudience: RFC 7519 §4.1.3 "If the principal processing the claim does not identify
// itself with a value in the "aud" claim when this claim is present, then the JWT MUST be
// rejected." A verifier that names itself also requires the claim of a presentation, so that
// one minted for no one in particular cannot be replayed to it.
func checkAudience(doc document, audience string, bound bool) error {
	v, ok := doc.Get("aud")
	if !ok {
		if bound && audience != "" {
			return insecure(ErrAudience, "the JWT has no aud claim; %q expected", truncate(audience))
		}
		return nil
	}
	var auds []string
	switch a := v.(type) {
	case string:
		auds = []string{a}
	case []any:
		for _, x := range a {
			s, ok := x.(string)
			if !ok {
				return malformed(ErrClaims, "the aud claim must hold strings")
			}
			auds = append(auds, s)
		}
	default:
		return malformed(ErrClaims, "the aud claim must be a string or an array of strings")
	}
	if audience == "" || !slices.Contains(auds, audience) {
		return insecure(ErrAudience, "the JWT is not addressed to %q", truncate(audience))
	}
	return nil
}

// checkNonce compares the nonce claim (IANA JWT Claims registry, from OpenID Connect Core
// §2) with the one the verifier issued, the counterpart of a Data Integrity challenge.
func checkNonce(doc document, nonce string, bound bool) error {
	v, ok := doc.Get("nonce")
	if ok {
		if _, isString := v.(string); !isString {
			return malformed(ErrClaims, "the nonce claim must be a string")
		}
	}
	if bound && nonce != "" && v != nonce {
		return insecure(ErrNonce, "the JWT does not carry the expected nonce")
	}
	return nil
}
