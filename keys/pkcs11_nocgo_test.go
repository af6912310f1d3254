//go:build !cgo

package keys

import (
	"context"
	"errors"
	"testing"
)

// Without cgo a pkcs11: URI fails closed: no software key stands in for the HSM.
func TestPKCS11WithoutCgoFailsClosed(t *testing.T) {
	const uri = "pkcs11:token=kakunin;object=owner?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234"
	if _, err := Open(context.Background(), uri); !errors.Is(err, ErrHSMUnavailable) {
		t.Fatalf("Open = %v, want ErrHSMUnavailable", err)
	}
	if _, err := Generate(context.Background(), uri, Ed25519); !errors.Is(err, ErrHSMUnavailable) {
		t.Fatalf("Generate = %v, want ErrHSMUnavailable", err)
	}
}
