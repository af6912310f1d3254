package issuer

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/internal/claims"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// secure signs doc with the instance's key: a Data Integrity proof of the given cryptosuite,
// or a vc+jwt. It returns the credential as the VC API returns it and as the registry keeps it
// (the JSON credential, or the compact JWS).
//
// doc is the credential that Issue parsed and checked, with the credentialStatus it added;
// a Data Integrity proof is added to its JSON encoding without parsing it again.
func (is *Issuer) secure(ctx context.Context, in *Instance, doc map[string]any, suite string, now time.Time) (body, data []byte, err error) {
	vm, err := in.method(ctx, suite == FormatJWT)
	if err != nil {
		return nil, nil, err
	}
	if suite == FormatJWT {
		cred, _, err := parse(doc)
		if err != nil {
			return nil, nil, err
		}
		jws, err := jose.SignCredential(ctx, cred, in.Signer, jose.SignOptions{KeyID: vm})
		if err != nil {
			return nil, nil, signErr(err)
		}
		body, err := json.Marshal(jose.Envelope(jws))
		return body, jws, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, invalid("credential cannot be encoded")
	}
	signed, err := dataintegrity.AddProof(raw, in.Signer, dataintegrity.ProofOptions{
		Cryptosuite: suite, VerificationMethod: vm, Created: now, JSONLD: is.cfg.JSONLD,
		Rand: is.cfg.Rand,
	})
	if err != nil {
		return nil, nil, signErr(err)
	}
	return signed, signed, nil
}

// MethodSigner is an instance's Signer whose verification method changes while the
// instance runs: the methods of a did:kakunin instance name the agent certificate of its
// key (#cert-<thumbprint>, spec/did-kakunin.md §9.1), which a renewal replaces and expiry
// removes. The issuer asks it for the method at every signature, of a credential or of a
// status list credential, instead of using Instance.VerificationMethod (still required: it
// is the method at start).
type MethodSigner interface {
	crypto.Signer
	// VerificationMethod returns the DID URL, a fragment of the instance's DID, of a method
	// listed for assertionMethod now with the signer's public key: for a vc+jwt (jose true)
	// one JOSE verifiers take (JsonWebKey), otherwise one Data Integrity verifiers take
	// (Multikey).
	VerificationMethod(ctx context.Context, jose bool) (string, error)
}

// method returns the verification method the instance signs with now.
func (in *Instance) method(ctx context.Context, jose bool) (string, error) {
	ms, ok := in.Signer.(MethodSigner)
	if !ok {
		return in.VerificationMethod, nil
	}
	vm, err := ms.VerificationMethod(ctx, jose)
	if err != nil {
		return "", fmt.Errorf("issuer: instance %s: verification method: %w", in.Name, err)
	}
	if !strings.HasPrefix(vm, in.DID+"#") {
		return "", fmt.Errorf("issuer: instance %s: verification method %q is not a fragment of its DID", in.Name, clip(vm))
	}
	return vm, nil
}

// signErr marks the failures a request causes (an unknown cryptosuite, a key that does not
// fit it, terms no context defines, a number JCS cannot canonicalize) as invalid requests;
// the others stay internal.
func signErr(err error) error {
	if errors.Is(err, dataintegrity.ErrUnsupportedCryptosuite) || errors.Is(err, dataintegrity.ErrKeyType) ||
		errors.Is(err, jcs.ErrNumber) ||
		errors.Is(err, dataintegrity.ErrProofGeneration) || errors.Is(err, jose.ErrDataModel) ||
		errors.Is(err, jose.ErrClaims) || errors.Is(err, jose.ErrAlgorithm) {
		return errors.Join(ErrInvalidRequest, err)
	}
	return fmt.Errorf("issuer: sign: %w", err)
}

// checkJSONLD makes every credential a conforming JSON-LD document, whatever secures it:
// the RDFC cryptosuites process it as they sign, but JCS and vc+jwt never do, and would
// otherwise issue a credential whose context is unknown here or redefines a protected
// term (VC Data Model 2.0 § 4.3: each context "processable as a JSON-LD Context"; § 5.2:
// such a redefinition is an error) or whose terms no context defines. First of all, every
// number must fit an IEEE-754 double (checkNumbers), which every securing mechanism needs.
func (is *Issuer) checkJSONLD(doc map[string]any, suite string) error {
	if err := checkNumbers(doc, ""); err != nil {
		return err
	}
	if dataintegrity.ProcessesJSONLD(suite) {
		return nil // AddProof expands it
	}
	if _, err := is.cfg.JSONLD.Expand(doc); err != nil {
		return errors.Join(ErrInvalidRequest, err)
	}
	return nil
}

// checkNumbers refuses a number beyond the range of an IEEE-754 double, as a malformed value
// at its JSON pointer: I-JSON (RFC 7493 § 2.2) advises against such numbers, JCS (RFC 8785
// § 3.2.2.3) and JSON-LD (whose numbers are doubles) cannot represent them, and a
// verifier's JSON parser would read infinity or fail. A number below the smallest double
// rounds to zero, as JCS and ECMAScript's JSON.parse read it, and is kept.
func checkNumbers(v any, pointer string) error {
	switch v := v.(type) {
	case json.Number:
		if _, err := strconv.ParseFloat(string(v), 64); err != nil {
			return errors.Join(ErrInvalidRequest, claims.Malformed(pointer, jcs.ErrNumber,
				"the number %s is outside the IEEE-754 double range", claims.Quote(string(v))))
		}
	case map[string]any:
		for k, e := range v {
			if err := checkNumbers(e, claims.At(pointer, k)); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := checkNumbers(e, claims.At(pointer, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
