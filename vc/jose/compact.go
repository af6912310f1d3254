package jose

import (
	"bytes"
	"encoding/base64"
)

// DefaultMaxBytes bounds a compact JWS when [VerifyOptions.MaxBytes] is zero.
const DefaultMaxBytes = 1 << 20

// maxHeaderBytes bounds the decoded protected header: room for an x5c chain of a few
// certificates, far less than any payload.
const maxHeaderBytes = 32 << 10

var b64 = base64.RawURLEncoding.Strict()

// jws is a JWS in compact serialization, split and decoded but not yet verified.
type jws struct {
	header  Header
	payload []byte
	input   []byte // the JWS Signing Input, ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
	sig     []byte
}

// parseCompact splits and decodes data (RFC 7515 §7.1, §5.2 steps 1-7). Only the base64url
// alphabet and the two separators are accepted, with no padding and no non-zero trailing
// bits: Go's decoder would skip CR and LF, which would let one signature have many encodings.
func parseCompact(data []byte, maxBytes int) (*jws, error) {
	if len(data) > maxBytes {
		return nil, parsingError("the JWS is longer than %d bytes", maxBytes)
	}
	if err := checkAlphabet(data); err != nil {
		return nil, err
	}
	h, rest, _ := bytes.Cut(data, []byte{'.'})
	p, s, ok := bytes.Cut(rest, []byte{'.'})
	if !ok || bytes.IndexByte(s, '.') >= 0 {
		return nil, parsingError("a compact JWS has exactly three parts (a JWE or JSON serialization is not accepted)")
	}
	if len(p) == 0 {
		return nil, parsingError("detached payloads are not accepted")
	}
	out := &jws{input: data[:len(h)+1+len(p)]}
	// One buffer for the three decoded parts, no longer than data.
	buf := make([]byte, 0, b64.DecodedLen(len(h))+b64.DecodedLen(len(p))+b64.DecodedLen(len(s)))
	headerJSON, err := decodePart(&buf, h, "header", maxHeaderBytes)
	if err != nil {
		return nil, err
	}
	if out.payload, err = decodePart(&buf, p, "payload", maxBytes); err != nil {
		return nil, err
	}
	if out.sig, err = decodePart(&buf, s, "signature", maxBytes); err != nil {
		return nil, err
	}
	if out.header, err = parseHeader(headerJSON); err != nil {
		return nil, err
	}
	return out, nil
}

// checkAlphabet rejects the only bytes outside the alphabet that the strict base64url decoder
// lets through, CR and LF; decodePart rejects the others.
func checkAlphabet(data []byte) error {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return parsingError("byte %d of the JWS is a line break", i)
	}
	return nil
}

// decodePart decodes part onto the end of *buf, whose capacity suffices, and returns it.
func decodePart(buf *[]byte, part []byte, what string, limit int) ([]byte, error) {
	if b64.DecodedLen(len(part)) > limit {
		return nil, parsingError("the JWS %s is too large", what)
	}
	start := len(*buf)
	out := (*buf)[start : start+b64.DecodedLen(len(part))]
	n, err := b64.Decode(out, part)
	if err != nil {
		return nil, parsingError("the JWS %s is not base64url: %v", what, err)
	}
	*buf = (*buf)[:start+n]
	return out[:n:n], nil
}

// signingInput encodes header and payload JSON as BASE64URL(header) '.' BASE64URL(payload),
// leaving room for a signature of sigSize bytes so that [assemble] does not copy.
func signingInput(header, payload []byte, sigSize int) []byte {
	out := make([]byte, 0, b64.EncodedLen(len(header))+1+b64.EncodedLen(len(payload))+1+b64.EncodedLen(sigSize))
	out = b64.AppendEncode(out, header)
	out = append(out, '.')
	return b64.AppendEncode(out, payload)
}

// assemble appends '.' BASE64URL(sig) to the signing input, giving the compact serialization.
func assemble(input, sig []byte) []byte {
	return b64.AppendEncode(append(input, '.'), sig)
}
