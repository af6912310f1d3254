package jose

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/vc"
)

// The types of VC Data Model 2.0 §4.13.1 and §4.13.2.
const (
	TypeEnvelopedCredential   = "EnvelopedVerifiableCredential"
	TypeEnvelopedPresentation = "EnvelopedVerifiablePresentation"
)

// Envelope wraps a vc+jwt credential as an EnvelopedVerifiableCredential (VC Data Model 2.0
// §4.13.1), the form in which a presentation, or a VC API response, carries it:
//
//	{"@context": "https://www.w3.org/ns/credentials/v2", "id": "data:application/vc+jwt,<jws>",
//	 "type": "EnvelopedVerifiableCredential"}
//
// The compact JWS needs no escaping in a data: URL: it is made of base64url characters and dots.
func Envelope(jws []byte) map[string]any {
	return envelope(jws, MediaTypeCredential, TypeEnvelopedCredential)
}

// EnvelopePresentation wraps a vp+jwt presentation as an EnvelopedVerifiablePresentation
// (VC Data Model 2.0 §4.13.2).
func EnvelopePresentation(jws []byte) map[string]any {
	return envelope(jws, MediaTypePresentation, TypeEnvelopedPresentation)
}

func envelope(jws []byte, mediaType, typ string) map[string]any {
	return map[string]any{"@context": vc.ContextV2, "id": "data:" + mediaType + "," + string(jws), "type": typ}
}

// Unenvelope returns the media type (application/vc+jwt or application/vp+jwt) and the
// secured bytes of an EnvelopedVerifiableCredential or EnvelopedVerifiablePresentation
// object, such as a VC API request carries, for [VerifyCredential] or [VerifyPresentation].
// The object's @context must include the base context, its type must match the media type
// of its data: URL id (base64 or not), and it may have no other member. Errors are
// MALFORMED_VALUE_ERROR [*vc.Error] values that wrap [ErrEnvelope].
func Unenvelope(obj map[string]any) (mediaType string, jws []byte, err error) {
	mediaType, jws, err = unenvelope(obj)
	if err != nil {
		return "", nil, malformed(err, "%v", err)
	}
	return mediaType, jws, nil
}

func unenvelope(obj map[string]any) (mediaType string, jws []byte, err error) {
	for k := range obj {
		if k != "@context" && k != "id" && k != "type" {
			// Unsigned: a reader of the envelope could take it for the credential's content.
			return "", nil, fmt.Errorf("%w: member %q is outside the signed data; an envelope holds only @context, id and type", ErrEnvelope, truncate(k))
		}
	}
	if !slices.Contains(stringList(obj["@context"]), vc.ContextV2) {
		return "", nil, fmt.Errorf("%w: @context must include %s", ErrEnvelope, vc.ContextV2)
	}
	id, _ := obj["id"].(string)
	mediaType, data, err := parseDataURL(id)
	if err != nil {
		return "", nil, err
	}
	var want string
	switch mediaType {
	case MediaTypeCredential:
		want = TypeEnvelopedCredential
	case MediaTypePresentation:
		want = TypeEnvelopedPresentation
	default:
		return "", nil, fmt.Errorf("%w: media type %q is not %s or %s", ErrEnvelope, truncate(mediaType), MediaTypeCredential, MediaTypePresentation)
	}
	if !slices.Contains(stringList(obj["type"]), want) {
		return "", nil, fmt.Errorf("%w: an %s envelope must have type %s", ErrEnvelope, mediaType, want)
	}
	return mediaType, data, nil
}

// stringList reads a JSON value that is a string or an array of strings; other items are
// dropped.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// parseDataURL splits an RFC 2397 data: URL, data:[<mediatype>][;base64],<data>, into its
// media type (lower case, without parameters) and its data.
func parseDataURL(s string) (string, []byte, error) {
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") {
		return "", nil, fmt.Errorf("%w: id must be a data: URL", ErrEnvelope)
	}
	head, body, ok := strings.Cut(s[5:], ",")
	if !ok {
		return "", nil, fmt.Errorf("%w: the data: URL has no comma", ErrEnvelope)
	}
	head, isBase64 := strings.CutSuffix(head, ";base64")
	mediaType, _, err := mime.ParseMediaType(head)
	if err != nil {
		return "", nil, fmt.Errorf("%w: the data: URL media type: %w", ErrEnvelope, err)
	}
	data, err := url.PathUnescape(body)
	if err != nil {
		return "", nil, fmt.Errorf("%w: the data: URL data is not percent-encoded correctly", ErrEnvelope)
	}
	if !isBase64 {
		return mediaType, []byte(data), nil
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return "", nil, fmt.Errorf("%w: the data: URL data is not base64", ErrEnvelope)
	}
	return mediaType, raw, nil
}
