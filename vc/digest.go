package vc

import (
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-varint"
)

// sriAlgorithms are the hash-algo values of Subresource Integrity §3.5 (from CSP), weakest first.
var sriAlgorithms = []struct {
	name string
	sum  func([]byte) []byte
}{
	{"sha256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	{"sha384", func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
	{"sha512", func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
}

// multihashAlgorithms are the multihash codes VerifyRelatedResource computes.
var multihashAlgorithms = map[multicodec.Code]func([]byte) []byte{
	multicodec.Sha2_256: sriAlgorithms[0].sum,
	multicodec.Sha2_384: sriAlgorithms[1].sum,
	multicodec.Sha2_512: sriAlgorithms[2].sum,
	multicodec.Sha3_256: func(b []byte) []byte { s := sha3.Sum256(b); return s[:] },
	multicodec.Sha3_384: func(b []byte) []byte { s := sha3.Sum384(b); return s[:] },
	multicodec.Sha3_512: func(b []byte) []byte { s := sha3.Sum512(b); return s[:] },
}

type sriDigest struct {
	strength int    // index in sriAlgorithms
	value    string // base64-value, compared as a string as SRI §3.3.5 does
}

// parseSRI reads a hash-expression (SRI §3.5: hash-algo "-" base64-value ["?" option-expression],
// base64-value = 1*( ALPHA / DIGIT / "+" / "/" ) *2( "=" )). Only the grammar is checked here:
// a value of the wrong length is well-formed and simply never matches. (The Recommendation's own
// Example 25 has such 65-character sha384 values.)
func parseSRI(s string) (sriDigest, error) {
	expr, _, _ := strings.Cut(s, "?")
	alg, value, ok := strings.Cut(expr, "-")
	if !ok || !isBase64Value(value) {
		return sriDigest{}, errors.New("digestSRI must be hash-algo \"-\" base64-value")
	}
	for i, a := range sriAlgorithms {
		if a.name == alg {
			return sriDigest{strength: i, value: value}, nil
		}
	}
	return sriDigest{}, errors.New("digestSRI algorithm must be sha256, sha384 or sha512")
}

func isBase64Value(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" || len(s)-len(body) > 2 {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !isDigit(c) && c != '+' && c != '/' {
			return false
		}
	}
	return true
}

func checkSRI(s string) error { _, err := parseSRI(s); return err }

type multihash struct {
	code multicodec.Code
	sum  []byte
}

// parseMultihash reads a multibase-encoded multihash (VC Data Integrity §2.6): a varint hash
// code, a varint digest length and exactly that many bytes.
func parseMultihash(s string) (multihash, error) {
	_, raw, err := multibase.Decode(s)
	if err != nil {
		return multihash{}, errors.New("digestMultibase is not multibase")
	}
	code, n, err := varint.FromUvarint(raw)
	if err != nil {
		return multihash{}, errors.New("digestMultibase is not a multihash")
	}
	size, m, err := varint.FromUvarint(raw[n:])
	if err != nil || uint64(len(raw[n+m:])) != size {
		return multihash{}, errors.New("digestMultibase multihash length does not match its digest")
	}
	return multihash{code: multicodec.Code(code), sum: raw[n+m:]}, nil
}

func checkMultihash(s string) error { _, err := parseMultihash(s); return err }

// VerifyRelatedResource checks content, the bytes retrieved for res, against its digests
// (VC 2.0 §5.3: "If the digest provided by the issuer does not match the digest computed for the
// retrieved resource, the conforming verifier implementation MUST produce an error").
//
// digestSRI follows SRI §3.3.5: only the strongest algorithm listed counts, and one match among
// its values suffices. Every digestMultibase value whose hash (sha2-256/384/512, sha3-256/384/512)
// is supported must match. Errors: [ErrDigestMismatch], or [ErrUnsupportedDigest] when no digest
// uses a supported algorithm; both are CRYPTOGRAPHIC_SECURITY_ERROR problems.
func VerifyRelatedResource(res RelatedResource, content []byte) error {
	checked := false
	if len(res.DigestSRI) > 0 {
		if err := verifySRI(res, content); err != nil {
			return err
		}
		checked = true
	}
	for i, s := range res.DigestMultibase {
		mh, err := parseMultihash(s)
		if err != nil {
			return malformed(multibasePath(res, i), "%v", err)
		}
		sum, ok := multihashAlgorithms[mh.code]
		if !ok {
			continue
		}
		if subtle.ConstantTimeCompare(sum(content), mh.sum) != 1 {
			return digestError(multibasePath(res, i), ErrDigestMismatch, "content of %s does not match digestMultibase", quote(res.ID))
		}
		checked = true
	}
	if !checked {
		return digestError(res.path, ErrUnsupportedDigest, "no digest of %s uses a supported algorithm", quote(res.ID))
	}
	return nil
}

func verifySRI(res RelatedResource, content []byte) error {
	digests := make([]sriDigest, len(res.DigestSRI))
	strongest := 0
	for i, s := range res.DigestSRI {
		d, err := parseSRI(s)
		if err != nil {
			return malformed(at(res.path, "digestSRI"), "%v", err)
		}
		digests[i], strongest = d, max(strongest, d.strength)
	}
	actual := base64.StdEncoding.EncodeToString(sriAlgorithms[strongest].sum(content))
	for _, d := range digests {
		if d.strength == strongest && d.value == actual {
			return nil
		}
	}
	return digestError(at(res.path, "digestSRI"), ErrDigestMismatch, "content of %s does not match digestSRI", quote(res.ID))
}

func multibasePath(res RelatedResource, i int) string {
	return pathOf(at(res.path, "digestMultibase"), res.multibaseArray || len(res.DigestMultibase) > 1, i)
}

func digestError(path string, cause error, format string, args ...any) error {
	return &Error{Type: CryptographicSecurityError, Path: path, Detail: fmt.Sprintf(format, args...), Err: cause}
}
