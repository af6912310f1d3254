//go:build cgo

package keys

import (
	"context"
	"errors"
	"testing"
)

// TestPKCS11PINCheckedBesideAnOpenKey: a key opened with a wrong PIN while another key of the
// same token is open (the module then answers CKR_USER_ALREADY_LOGGED_IN without checking
// it) is refused, as it is on its own; once every key is closed, the right PIN opens it.
func TestPKCS11PINCheckedBesideAnOpenKey(t *testing.T) {
	st := newSoftToken(t)
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		s, err := Generate(ctx, st.uri("object="+name), ECDSAP256)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	wrong := "pkcs11:token=" + st.label + ";object=b?module-path=" + st.module + "&pin-value=not-" + testPIN
	a, err := Open(ctx, st.uri("object=a"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, wrong); !errors.Is(err, ErrHSMUnavailable) {
		t.Fatalf("wrong PIN beside an open key: signer %v, err %v; want ErrHSMUnavailable", s, err)
	}
	signAndVerify(t, a) // the refusal did not log the open key out
	b, err := Open(ctx, st.uri("object=b"))
	if err != nil {
		t.Fatalf("right PIN beside an open key: %v", err)
	}
	a.Close()
	b.Close()
	if s, err := Open(ctx, wrong); !errors.Is(err, ErrHSMUnavailable) {
		t.Fatalf("wrong PIN alone: signer %v, err %v", s, err)
	}
	b, err = Open(ctx, st.uri("object=b"))
	if err != nil {
		t.Fatalf("right PIN once all are closed: %v", err)
	}
	b.Close()
}
