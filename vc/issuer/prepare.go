package issuer

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/vc"
)

// MaxCredentialBytes bounds a credential submitted for issuance.
const MaxCredentialBytes = 256 << 10

const contextV1 = "https://www.w3.org/2018/credentials/v1"

// prepare reads the credential of a request and completes it: Data Model 1.1 input is
// rewritten as 2.0, and issuer, id, validFrom and validUntil are set when missing.
func (is *Issuer) prepare(in *Instance, raw []byte, validity time.Duration, now time.Time) (map[string]any, error) {
	v, err := jsonin.Decode(raw, jsonin.Options{MaxBytes: MaxCredentialBytes})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("the credential is not a JSON object")
	}
	for _, m := range []string{"proof", "credentialStatus"} {
		if _, ok := doc[m]; ok {
			return nil, invalid("the credential has a %s member; the issuer adds it", m)
		}
	}
	upgradeV1(doc)
	if err := setIssuer(doc, in.DID); err != nil {
		return nil, err
	}
	if _, ok := doc["id"]; !ok {
		id, err := newURN(is.cfg.Rand)
		if err != nil {
			return nil, err
		}
		doc["id"] = id
	}
	return doc, setValidity(doc, in, validity, now)
}

// upgradeV1 rewrites a Data Model 1.1 credential as 2.0: the issuer issues 2.0 only, and
// vc+jwt (VC-JOSE-COSE) secures 2.0 credentials only. VC Data Model 2.0 §B.2 maps
// issuanceDate to validFrom and expirationDate to validUntil.
func upgradeV1(doc map[string]any) {
	ctx, _ := doc["@context"].([]any)
	if len(ctx) == 0 || ctx[0] != contextV1 {
		return
	}
	ctx[0] = vc.ContextV2
	for old, now := range map[string]string{"issuanceDate": "validFrom", "expirationDate": "validUntil"} {
		if v, ok := doc[old]; ok {
			delete(doc, old)
			if _, taken := doc[now]; !taken {
				doc[now] = v
			}
		}
	}
}

// setIssuer fills in an absent issuer, as VCALM asks clients to omit it; one given must
// be the instance's DID. A null issuer is neither a string nor an object: refused.
func setIssuer(doc map[string]any, issuer string) error {
	raw, present := doc["issuer"]
	switch v := raw.(type) {
	case nil:
		if present {
			return invalid("issuer is null: omit it, or give the instance's DID %s", issuer)
		}
		doc["issuer"] = issuer
		return nil
	case string:
		if v == issuer {
			return nil
		}
	case map[string]any:
		if v["id"] == issuer {
			return nil
		}
	}
	return invalid("issuer must be the instance's DID %s", issuer)
}

func setValidity(doc map[string]any, in *Instance, validity time.Duration, now time.Time) error {
	if validity < 0 {
		return invalid("negative validity")
	}
	from := now
	v, present := doc["validFrom"]
	switch v := v.(type) {
	case nil:
		if present {
			return invalid("validFrom is null")
		}
		doc["validFrom"] = formatTime(now)
	case string:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return invalid("validFrom is not a date-time")
		}
		from = t
	default:
		return invalid("validFrom is not a string")
	}
	if _, ok := doc["validUntil"]; !ok {
		if validity == 0 {
			validity = in.MaxValidity
		}
		doc["validUntil"] = formatTime(from.Add(validity))
	}
	return nil
}

// parse checks doc as a credential, as a verifier will read it.
func parse(doc map[string]any) (*vc.Credential, []byte, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, invalid("credential cannot be encoded")
	}
	c, err := vc.ParseCredential(raw, vc.ParseOptions{MaxBytes: 2 * MaxCredentialBytes})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	return c, raw, nil
}

func newURN(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("issuer: credential id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40 // RFC 9562 version 4
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
