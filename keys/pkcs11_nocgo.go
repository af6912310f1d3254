//go:build !cgo

package keys

import (
	"context"
	"fmt"
)

// Without cgo there is no PKCS#11: the backends need dlopen of the HSM's module.
// A binary built with CGO_ENABLED=0 (the static container image) opens file keys
// only, and says so for pkcs11: URIs instead of falling back to anything else.

func openPKCS11(context.Context, *PKCS11URI) (Signer, error) {
	return nil, fmt.Errorf("%w: this binary was built without cgo and has no PKCS#11 support", ErrHSMUnavailable)
}

func generatePKCS11(context.Context, *PKCS11URI, Algorithm) (Signer, error) {
	return nil, fmt.Errorf("%w: this binary was built without cgo and has no PKCS#11 support", ErrHSMUnavailable)
}
