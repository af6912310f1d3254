package vc

import (
	"encoding/base64"
	"errors"
	"mime"
	"net/url"
	"strings"
)

var errDataURL = errors.New("not a data: URL")

// parseDataURL splits an RFC 2397 data URL, data:[<mediatype>][;base64],<data>, into its media
// type (without parameters, "text/plain" when omitted as RFC 2397 §2 says) and decoded data.
func parseDataURL(s string) (mediaType string, data []byte, err error) {
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") { // schemes are case-insensitive
		return "", nil, errDataURL
	}
	head, body, ok := strings.Cut(s[5:], ",")
	if !ok {
		return "", nil, errDataURL
	}
	head, isBase64 := strings.CutSuffix(head, ";base64")
	mediaType = "text/plain"
	if head != "" && !strings.HasPrefix(head, ";") {
		if mediaType, _, err = mime.ParseMediaType(head); err != nil {
			return "", nil, errDataURL
		}
	}
	decoded, err := url.PathUnescape(body)
	if err != nil {
		return "", nil, errDataURL
	}
	if !isBase64 {
		return mediaType, []byte(decoded), nil
	}
	data, err = base64.StdEncoding.DecodeString(decoded)
	if err != nil {
		return "", nil, errDataURL
	}
	return mediaType, data, nil
}
