package jsonld

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/kakunin-dev/kakunin/jcs"
)

// TestEmbeddedContextDigests pins every embedded context.
//
// file is the SHA-256 of the embedded bytes, i.e. of the file in the npm
// package named in contexts/README.md.
//
// Where the specification publishes a digest (noted beside the entry), the npm file is not
// byte-identical to the file the W3C serves (it differs in whitespace only),
// so the published digest cannot be asserted on these bytes. canonical ties
// the two together instead: it is the SHA-256 of the RFC 8785 canonical form,
// computed from the W3C-served file whose SHA-256 is the published digest
// (w3c/vc-data-model contexts/credentials/v2, w3c/vc-data-integrity
// contexts/data-integrity/v2 and contexts/multikey/v1), and the embedded
// file must canonicalize to the same bytes. Contexts whose specification
// publishes no digest have canonical pinned from the npm file.
func TestEmbeddedContextDigests(t *testing.T) {
	tests := []struct {
		url, file, canonical string
	}{
		{
			url:       CredentialsV2,
			file:      "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
			canonical: "b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf",
			// published digest 59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734 (VC Data Model 2.0, appendix "Base Context")
		},
		{
			url:       DataIntegrityV2,
			file:      "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
			canonical: "7ba3c50acf2689d5e07927267343eb353249c7c22a9f2d00307cc970e855e305",
			// published digest 67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4 (VC Data Integrity 1.0, section 2.4 "Contexts and Vocabularies")
		},
		{
			url:       MultikeyV1,
			file:      "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
			canonical: "be20c3ee6af6e9c4102e66a85c26617831218e32216bdf050f870e389e737cdc",
			// published digest ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597 (VC Data Integrity 1.0, section 2.4 "Contexts and Vocabularies")
		},
		// No digest published by the specifications below; both values are
		// those of the npm file.
		{url: CredentialsV1, file: "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8", canonical: "b01e671e873981f19a9102a9a57f666dbcaeb31b99e3e124378d143e71549247"},
		{url: DataIntegrityV1, file: "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554", canonical: "9505bf85338a4c2121ad03992ac90061bc85d43bcfa34d9d47b779381cf08b5f"},
		{url: DIDV1, file: "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f", canonical: "a7e146c40fcec005d3f0f14ae745665f446da58d7914a9d8f733746686fad82b"},
		{url: Ed25519Signature2020, file: "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588", canonical: "fb517f09d990829aed734c9bad8cbbb2ac3d5063b865c7e3d81f246074bf5691"},
		{url: JWS2020, file: "d648e05ddc6577827ca2bfd5e931f53e9ebc6e52a57a8da81df4ec8c46ffcd1e", canonical: "eed16334842a5635257913b33acd1aeee29009eb188d855f9a1d0ceee4a8ae4d"},
		{url: BitstringStatusListV1, file: "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c", canonical: "b2fcebfbaf4e6beae2be370fda8a5f9f99c28540c798a75a8cdccc0fb1a12492"},
	}
	if len(tests) != len(EmbeddedURLs()) {
		t.Fatalf("%d digests pinned for %d embedded contexts", len(tests), len(EmbeddedURLs()))
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			b, ok := Embedded(tt.url)
			if !ok {
				t.Fatalf("%s is not embedded", tt.url)
			}
			if got := digest(b); got != tt.file {
				t.Errorf("SHA-256 of the embedded file = %s, want %s (the npm package's file)", got, tt.file)
			}
			canon, err := jcs.Transform(b)
			if err != nil {
				t.Fatalf("canonicalizing: %v", err)
			}
			if got := digest(canon); got != tt.canonical {
				t.Errorf("SHA-256 of the canonical form = %s, want %s", got, tt.canonical)
			}
		})
	}
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
