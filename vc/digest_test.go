package vc

import (
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-varint"
)

func encodeMultihash(t *testing.T, base multibase.Encoding, code multicodec.Code, sum []byte) string {
	t.Helper()
	raw := append(varint.ToUvarint(uint64(code)), varint.ToUvarint(uint64(len(sum)))...)
	s, err := multibase.Encode(base, append(raw, sum...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sri(alg string, sum []byte) string { return alg + "-" + base64.StdEncoding.EncodeToString(sum) }

func TestVerifyRelatedResource(t *testing.T) {
	content := []byte(`{"@context":{"ex":"https://ex.example/#"}}`)
	s256, s384, s512 := sha256.Sum256(content), sha512.Sum384(content), sha512.Sum512(content)
	t256, t384, t512 := sha3.Sum256(content), sha3.Sum384(content), sha3.Sum512(content)
	zero := make([]byte, 32)
	res := func(sris []string, mbs ...string) RelatedResource {
		return RelatedResource{ID: "https://ex.example/ctx", DigestSRI: sris, DigestMultibase: mbs, path: "/relatedResource/0"}
	}
	tests := []struct {
		name string
		res  RelatedResource
		want error
	}{
		{"sri sha256", res([]string{sri("sha256", s256[:])}), nil},
		{"sri sha384 with option", res([]string{sri("sha384", s384[:]) + "?ct=application/ld+json"}), nil},
		{"sri sha512", res([]string{sri("sha512", s512[:])}), nil},
		{"sri weaker wrong, strongest right", res([]string{sri("sha256", zero), sri("sha512", s512[:])}), nil},
		{"sri one of strongest right", res([]string{sri("sha384", zero), sri("sha384", s384[:])}), nil},
		{"sri strongest wrong", res([]string{sri("sha256", s256[:]), sri("sha512", zero)}), ErrDigestMismatch},
		{"sri mismatch", res([]string{sri("sha256", zero)}), ErrDigestMismatch},
		{"multihash sha2-256 base64url", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, s256[:])), nil},
		{"multihash sha2-384 base58btc", res(nil, encodeMultihash(t, multibase.Base58BTC, multicodec.Sha2_384, s384[:])), nil},
		{"multihash sha2-512", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_512, s512[:])), nil},
		{"multihash sha3-256", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha3_256, t256[:])), nil},
		{"multihash sha3-384", res(nil, encodeMultihash(t, multibase.Base32, multicodec.Sha3_384, t384[:])), nil},
		{"multihash sha3-512", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha3_512, t512[:])), nil},
		{"multihash mismatch", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, zero)), ErrDigestMismatch},
		{"multihash one of two wrong", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, s256[:]),
			encodeMultihash(t, multibase.Base64url, multicodec.Sha3_256, zero)), ErrDigestMismatch},
		{"multihash unsupported only", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Keccak256, zero)), ErrUnsupportedDigest},
		{"multihash unsupported beside a match", res(nil, encodeMultihash(t, multibase.Base64url, multicodec.Keccak256, zero),
			encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, s256[:])), nil},
		{"both forms right", res([]string{sri("sha384", s384[:])}, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, s256[:])), nil},
		{"sri right, multihash wrong", res([]string{sri("sha384", s384[:])}, encodeMultihash(t, multibase.Base64url, multicodec.Sha2_256, zero)), ErrDigestMismatch},
		{"no digest", res(nil), ErrUnsupportedDigest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyRelatedResource(tt.res, content)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrCryptographicSecurity) {
				t.Fatalf("err = %v, want %v and ErrCryptographicSecurity", err, tt.want)
			}
		})
	}
	t.Run("mismatch path", func(t *testing.T) {
		err := VerifyRelatedResource(res([]string{sri("sha256", zero)}), content)
		wantProblem(t, err, ErrCryptographicSecurity, "/relatedResource/0/digestSRI")
	})
}

// TestSpecDigests checks the digests printed in the Recommendation: Example 26's digestMultibase
// of the base context is the SHA2-256 that Appendix B.1 gives in hex; Example 25's sha384 values
// (65 base64 characters) are well-formed but can match no content.
func TestSpecDigests(t *testing.T) {
	mh, err := parseMultihash("uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA")
	if err != nil {
		t.Fatal(err)
	}
	if mh.code != multicodec.Sha2_256 || hex.EncodeToString(mh.sum) != "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734" {
		t.Fatalf("multihash %x: %x", mh.code, mh.sum)
	}
	c, err := ParseCredential([]byte(baseCredential), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.RelatedResource("https://www.w3.org/ns/credentials/v2")
	if err := VerifyRelatedResource(r, []byte("any content")); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Example 25 digest: %v", err)
	}
}
