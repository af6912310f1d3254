package jose

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// Media types and "typ" values of VC-JOSE-COSE §3.1.1 and §3.1.2, registered in §6.1.
const (
	MediaTypeCredential   = "application/vc+jwt"
	MediaTypePresentation = "application/vp+jwt"
	TypeCredential        = "vc+jwt"
	TypePresentation      = "vp+jwt"
)

// maxX5C bounds the certificates of an "x5c" header parameter.
const maxX5C = 8

// Header is the JWS Protected Header of a secured credential or presentation, as far as this
// package reads it. Other parameters are ignored, as VC-JOSE-COSE §3.1.3 requires ("If they
// are not understood, they MUST be ignored"); keys they carry (jwk, jku, x5u) are never used.
type Header struct {
	Algorithm   Algorithm           // alg
	Type        string              // typ, such as "vc+jwt"
	ContentType string              // cty, "" when absent
	KeyID       string              // kid: the DID URL of the signer's verification method
	Issuer      string              // iss replicated as a header parameter (RFC 7519 §5.3), "" when absent
	X5C         []*x509.Certificate // x5c: the signer's certificate first; not validated as a chain
}

// parseHeader reads the protected header strictly (I-JSON, no duplicate names) and checks the
// type of every parameter it uses.
func parseHeader(data []byte) (Header, error) {
	v, err := jsonin.Decode(data, jsonin.Options{MaxBytes: maxHeaderBytes, MaxDepth: 4})
	if err != nil {
		return Header{}, parsingError("the JOSE header is not acceptable JSON: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return Header{}, parsingError("the JOSE header is not a JSON object")
	}
	// RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood
	// and supported by the recipient, then the JWS is invalid." This package supports none.
	if _, ok := m["crit"]; ok {
		return Header{}, malformed(ErrHeader, "crit lists extensions this verifier does not support")
	}
	var h Header
	fields := []struct {
		name     string
		dst      *string
		required bool
	}{{"alg", (*string)(&h.Algorithm), true}, {"typ", &h.Type, false}, {"cty", &h.ContentType, false},
		{"kid", &h.KeyID, false}, {"iss", &h.Issuer, false}}
	for _, f := range fields {
		if err := stringParam(m, f.name, f.dst, f.required); err != nil {
			return Header{}, err
		}
	}
	if h.X5C, err = x5cParam(m["x5c"]); err != nil {
		return Header{}, err
	}
	return h, nil
}

func stringParam(m map[string]any, name string, dst *string, required bool) error {
	v, ok := m[name]
	if !ok {
		if required {
			return malformed(ErrHeader, "the JOSE header has no %s", name)
		}
		return nil
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return malformed(ErrHeader, "the JOSE header parameter %s must be a non-empty string", name)
	}
	*dst = s
	return nil
}

// x5cParam reads "x5c": RFC 7515 §4.1.6 "Each string in the array is a base64-encoded (Section
// 4 of [RFC4648] -- not base64url-encoded) DER [ITU.X690.2008] PKIX certificate value."
func x5cParam(v any) ([]*x509.Certificate, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 || len(list) > maxX5C {
		return nil, malformed(ErrHeader, "x5c must be an array of 1 to %d certificates", maxX5C)
	}
	certs := make([]*x509.Certificate, 0, len(list))
	for _, item := range list {
		s, _ := item.(string)
		der, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil || s == "" {
			return nil, malformed(ErrHeader, "x5c holds a value that is not base64")
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, malformed(ErrHeader, "x5c holds an unparsable certificate: %v", err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// typeIs reports whether typ names the media type whose subtype is want. RFC 7515 §4.1.9:
// "it is RECOMMENDED that the "application/" prefix of the media type value be omitted"
// and media type values are compared case-insensitively.
func typeIs(typ, want string) bool {
	typ = strings.ToLower(typ)
	return typ == want || typ == "application/"+want
}

// marshal writes the header: alg, kid and typ, then cty and x5c when set.
func (h Header) marshal() ([]byte, error) {
	out := struct {
		Alg Algorithm `json:"alg"`
		Kid string    `json:"kid"`
		Typ string    `json:"typ"`
		Cty string    `json:"cty,omitempty"`
		X5C []string  `json:"x5c,omitempty"`
	}{Alg: h.Algorithm, Kid: h.KeyID, Typ: h.Type, Cty: h.ContentType}
	for _, c := range h.X5C {
		out.X5C = append(out.X5C, base64.StdEncoding.EncodeToString(c.Raw))
	}
	return json.Marshal(out)
}
