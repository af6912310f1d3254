package kakunin

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"
)

func goodLeaf(t *testing.T) (*x509.Certificate, ID) {
	t.Helper()
	var ex struct{ DID string }
	readJSON(t, "testdata/corpus/example.json", &ex)
	id, err := Parse(ex.DID)
	if err != nil {
		t.Fatal(err)
	}
	return loadPEM(t, "good.pem")[0], id
}

// withDigestsExtension returns a copy of c whose subjectDirectoryAttributes
// extension is replaced by ext.
func withDigestsExtension(c *x509.Certificate, ext pkix.Extension) *x509.Certificate {
	cp := *c
	cp.Extensions = slices.Clone(c.Extensions)
	for i, e := range cp.Extensions {
		if e.Id.Equal(oidSubjectDirectoryAttributes) {
			cp.Extensions[i] = ext
		}
	}
	return &cp
}

func TestCheckAgentCertificateDigests(t *testing.T) {
	leaf, id := goodLeaf(t)
	good := DigestsExtension(id)
	critical := good
	critical.Critical = true
	tests := []struct {
		name  string
		value []byte
		crit  bool
		want  error
	}{
		{"good", good.Value, false, nil},
		{"critical", good.Value, true, ErrDigestsMalformed},
		{"not a sequence", []byte{0x04, 0x00}, false, ErrDigestsMalformed},
		{"trailing bytes", append(slices.Clone(good.Value), 0), false, ErrDigestsMalformed},
		{"other attribute only", []byte{0x30, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, 0x31, 0x00}, false, ErrDigestsMissing},
		{"repeated", repeatedDigests(good.Value), false, ErrDigestsMalformed},
		{"empty", []byte{0x30, 0x00}, false, ErrDigestsMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext := pkix.Extension{Id: oidSubjectDirectoryAttributes, Critical: tt.crit, Value: tt.value}
			err := CheckAgentCertificate(withDigestsExtension(leaf, ext), id, ProfileOptions{})
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var pe *ProfileError
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrProfile) || !errors.As(err, &pe) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// repeatedDigests puts the kakunin attribute of a one-attribute value in twice.
func repeatedDigests(value []byte) []byte {
	attr := value[2:] // short-form length: the value is under 128 bytes
	body := append(slices.Clone(attr), attr...)
	return append([]byte{0x30, byte(len(body))}, body...)
}

func TestDigestsExtensionRoundTrip(t *testing.T) {
	_, id := goodLeaf(t)
	ext := DigestsExtension(id)
	if ext.Critical || !ext.Id.Equal(oidSubjectDirectoryAttributes) {
		t.Fatalf("extension %v critical=%v", ext.Id, ext.Critical)
	}
	m, p, err := parseDigests(ext.Value)
	if err != nil || m != id.ModelDigest() || p != id.PromptDigest() {
		t.Fatalf("parseDigests: %v", err)
	}
}

func TestProfileOptions(t *testing.T) {
	leaf, id := goodLeaf(t)
	for _, d := range []time.Duration{-time.Hour, MaxValidityCeiling + time.Second} {
		if err := CheckAgentCertificate(leaf, id, ProfileOptions{MaxValidity: d}); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("MaxValidity %v: %v, want ErrInvalidOptions", d, err)
		}
	}
	if err := CheckAgentCertificate(leaf, id, ProfileOptions{MaxValidity: time.Hour}); !errors.Is(err, ErrValidityTooLong) {
		t.Errorf("1h cap on a 24h certificate: %v", err)
	}
}

func TestSerialOctets(t *testing.T) {
	tests := []struct {
		hex  string
		want int
	}{{"01", 1}, {"7f", 1}, {"80", 2}, {"ff" + "00112233445566778899aabbccddeeff001122", 21}, {"7f" + "00112233445566778899aabbccddeeff001122", 20}}
	for _, tt := range tests {
		n, _ := new(big.Int).SetString(tt.hex, 16)
		if got := serialOctets(n); got != tt.want {
			t.Errorf("serialOctets(%s) = %d, want %d", tt.hex, got, tt.want)
		}
	}
}
