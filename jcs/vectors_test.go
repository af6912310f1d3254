package jcs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/vectors"
)

// TestDataIntegrityVectors canonicalizes the unsigned documents and proof
// configurations of the W3C eddsa-jcs-2022 and ecdsa-jcs-2019 test vectors and
// compares them byte for byte with the published canonical forms.
func TestDataIntegrityVectors(t *testing.T) {
	eddsa := vectors.Dir(t, "vc-di-eddsa")
	ecdsa := vectors.Dir(t, "vc-di-ecdsa")
	tests := []struct{ name, in, want string }{
		{"eddsa-jcs-2022 document", filepath.Join(eddsa, "TestVectors/unsigned.json"), filepath.Join(eddsa, "TestVectors/eddsa-jcs-2022/canonDocJCS.txt")},
		{"eddsa-jcs-2022 proof config", filepath.Join(eddsa, "TestVectors/eddsa-jcs-2022/proofConfigJCS.json"), filepath.Join(eddsa, "TestVectors/eddsa-jcs-2022/proofCanonJCS.txt")},
		{"ecdsa-jcs-2019 P-256 document", filepath.Join(ecdsa, "TestVectors/unsigned.json"), filepath.Join(ecdsa, "TestVectors/ecdsa-jcs-2019-p256/canonDocJCSECDSAP256.txt")},
		{"ecdsa-jcs-2019 P-256 proof config", filepath.Join(ecdsa, "TestVectors/ecdsa-jcs-2019-p256/proofConfigJCSECDSAP256.json"), filepath.Join(ecdsa, "TestVectors/ecdsa-jcs-2019-p256/proofCanonJCSECDSAP256.txt")},
		{"ecdsa-jcs-2019 P-384 proof config", filepath.Join(ecdsa, "TestVectors/ecdsa-jcs-2019-p384/proofConfigJCSECDSAP384.json"), filepath.Join(ecdsa, "TestVectors/ecdsa-jcs-2019-p384/proofCanonJCSECDSAP384.txt")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := os.ReadFile(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Transform(in)
			if err != nil {
				t.Fatalf("Transform: %v", err)
			}
			if !bytes.Equal(got, bytes.TrimSpace(want)) {
				t.Errorf("Transform =\n%s\nwant\n%s", got, want)
			}
		})
	}
}
