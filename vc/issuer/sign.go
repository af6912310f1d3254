package issuer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// secure signs doc with the instance's key: a Data Integrity proof of the given cryptosuite,
// or a vc+jwt. It returns the credential as the VC API returns it and as the registry keeps it
// (the JSON credential, or the compact JWS).
//
// doc is the credential that Issue parsed and checked, with the credentialStatus it added;
// a Data Integrity proof is added to its JSON encoding without parsing it again.
func (is *Issuer) secure(ctx context.Context, in *Instance, doc map[string]any, suite string, now time.Time) (body, data []byte, err error) {
	if suite == FormatJWT {
		cred, _, err := parse(doc)
		if err != nil {
			return nil, nil, err
		}
		jws, err := jose.SignCredential(ctx, cred, in.Signer, jose.SignOptions{KeyID: in.VerificationMethod})
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
		Cryptosuite: suite, VerificationMethod: in.VerificationMethod, Created: now, JSONLD: is.cfg.JSONLD,
		Rand: is.cfg.Rand,
	})
	if err != nil {
		return nil, nil, signErr(err)
	}
	return signed, signed, nil
}

// signErr marks the failures a request causes (an unknown cryptosuite, a key that does not
// fit it, terms no context defines) as invalid requests; the others stay internal.
func signErr(err error) error {
	if errors.Is(err, dataintegrity.ErrUnsupportedCryptosuite) || errors.Is(err, dataintegrity.ErrKeyType) ||
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
// such a redefinition is an error) or whose terms no context defines.
func (is *Issuer) checkJSONLD(doc map[string]any, suite string) error {
	if dataintegrity.ProcessesJSONLD(suite) {
		return nil // AddProof expands it
	}
	if _, err := is.cfg.JSONLD.Expand(doc); err != nil {
		return errors.Join(ErrInvalidRequest, err)
	}
	return nil
}
