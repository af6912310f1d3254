//go:build cgo

package keys

import (
	"context"
	"crypto"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
)

func TestPKCS11GenerateSignVerify(t *testing.T) {
	st := newSoftToken(t)
	ctx := context.Background()
	pinFile := filepath.Join(st.dir, "pin")
	if err := os.WriteFile(pinFile, []byte(testPIN+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, alg := range allAlgorithms {
		t.Run(alg.String(), func(t *testing.T) {
			gen, err := Generate(ctx, st.uri("object=key-"+alg.String()), alg)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if gen.Algorithm() != alg {
				t.Errorf("Algorithm = %v, want %v", gen.Algorithm(), alg)
			}
			signAndVerify(t, gen)
			assertNotExtractable(t, gen.(*hsmSigner))
			pub := gen.Public()
			gen.Close()

			uri := "pkcs11:token=" + st.label + ";object=key-" + alg.String() + "?module-path=" + st.module + "&pin-source=file:" + pinFile
			opened, err := Open(ctx, uri)
			if err != nil {
				t.Fatalf("Open with pin-source: %v", err)
			}
			defer opened.Close()
			if !opened.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Fatal("reopened key has another public key")
			}
			signAndVerify(t, opened)
		})
	}
}

// assertNotExtractable checks the private key's attributes on the token and that
// reading its secret value fails.
func assertNotExtractable(t *testing.T, s *hsmSigner) {
	t.Helper()
	secret := uint(pkcs11.CKA_VALUE)
	if s.alg.rsaBits() != 0 {
		secret = pkcs11.CKA_PRIVATE_EXPONENT
	}
	err := s.t.session(false, func(sh pkcs11.SessionHandle) error {
		handles, err := s.t.findPrivateKeys(sh, s.u)
		if err != nil || len(handles) != 1 {
			t.Fatalf("find private key: %d handles, %v", len(handles), err)
		}
		for attr, want := range map[uint]byte{pkcs11.CKA_EXTRACTABLE: 0, pkcs11.CKA_SENSITIVE: 1, pkcs11.CKA_TOKEN: 1, pkcs11.CKA_PRIVATE: 1} {
			v, err := s.t.attribute(sh, handles[0], attr)
			if err != nil || len(v) != 1 || v[0] != want {
				t.Errorf("attribute 0x%x = %v, %v; want %d", attr, v, err, want)
			}
		}
		_, err = s.t.attribute(sh, handles[0], secret)
		if !errors.Is(err, pkcs11.Error(pkcs11.CKR_ATTRIBUTE_SENSITIVE)) {
			t.Errorf("reading the private key value: err = %v, want CKR_ATTRIBUTE_SENSITIVE", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPKCS11GenerateNeverReplaces(t *testing.T) {
	st := newSoftToken(t)
	ctx := context.Background()
	s, err := Generate(ctx, st.uri("object=k;id=%01"), ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, path := range []string{"object=k", "id=%01", "object=other;id=%01"} {
		t.Run(path, func(t *testing.T) {
			if _, err := Generate(ctx, st.uri(path), Ed25519); !errors.Is(err, ErrKeyExists) {
				t.Fatalf("err = %v, want ErrKeyExists", err)
			}
		})
	}
}

func TestPKCS11FailsClosed(t *testing.T) {
	st := newSoftToken(t)
	ctx := context.Background()
	for _, alg := range []Algorithm{Ed25519, ECDSAP256} {
		s, err := Generate(ctx, st.uri("object="+alg.String()), alg)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	for _, tc := range []struct {
		name, uri string
		want      error
	}{
		{"wrong module path", "pkcs11:token=" + st.label + ";object=Ed25519?module-path=/nonexistent/libpkcs11.so&pin-value=" + testPIN, ErrHSMUnavailable},
		{"module not PKCS#11", "pkcs11:token=" + st.label + ";object=Ed25519?module-path=/etc/hostname&pin-value=" + testPIN, ErrHSMUnavailable},
		{"wrong PIN", "pkcs11:token=" + st.label + ";object=Ed25519?module-path=" + st.module + "&pin-value=wrong", ErrHSMUnavailable},
		{"absent token", "pkcs11:token=absent;object=Ed25519?module-path=" + st.module + "&pin-value=" + testPIN, ErrHSMUnavailable},
		{"absent key", st.uri("object=absent"), ErrKeyNotFound},
		{"no key named", st.uri("id="), ErrInvalidURI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(ctx, tc.uri)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open: signer %v, err = %v; want %v", s, err, tc.want)
			}
		})
	}
	for _, alg := range []Algorithm{Ed25519, ECDSAP256} {
		t.Run("finalized module/"+alg.String(), func(t *testing.T) {
			s, err := Open(ctx, st.uri("object="+alg.String()))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			finalizeModule(t, st.module)
			_, err = s.Sign(nil, digestFor(alg), signOpts(alg))
			if !errors.Is(err, ErrHSMUnavailable) {
				t.Fatalf("Sign with the module finalized: err = %v, want ErrHSMUnavailable", err)
			}
		})
		t.Run("token removed/"+alg.String(), func(t *testing.T) {
			st := newSoftToken(t)
			s, err := Generate(ctx, st.uri("object=k"), alg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			signAndVerify(t, s)
			if err := os.RemoveAll(filepath.Join(st.dir, "tokens")); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Sign(nil, digestFor(alg), signOpts(alg)); !errors.Is(err, ErrHSMUnavailable) {
				t.Fatalf("Sign with the token removed: err = %v, want ErrHSMUnavailable", err)
			}
		})
		t.Run("closed/"+alg.String(), func(t *testing.T) {
			s, err := Open(ctx, st.uri("object="+alg.String()))
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			if _, err := s.Sign(nil, digestFor(alg), signOpts(alg)); !errors.Is(err, ErrClosed) {
				t.Fatalf("Sign after Close: err = %v, want ErrClosed", err)
			}
		})
	}
}

// finalizeModule calls C_Finalize on the module behind every open signer, as when the
// HSM library is shut down under the application.
func finalizeModule(t *testing.T, module string) {
	t.Helper()
	p := pkcs11.New(module)
	if p == nil {
		t.Fatal("module does not load")
	}
	defer p.Destroy()
	if err := p.Finalize(); err != nil {
		t.Fatalf("C_Finalize: %v", err)
	}
}

func digestFor(alg Algorithm) []byte {
	if alg == Ed25519 {
		return []byte("message")
	}
	return make([]byte, 32)
}

func signOpts(alg Algorithm) crypto.SignerOpts {
	if alg == Ed25519 {
		return crypto.Hash(0)
	}
	return crypto.SHA256
}

func TestPKCS11PINFileMustBePrivate(t *testing.T) {
	st := newSoftToken(t)
	pinFile := filepath.Join(st.dir, "pin")
	if err := os.WriteFile(pinFile, []byte(testPIN), 0o644); err != nil {
		t.Fatal(err)
	}
	uri := "pkcs11:token=" + st.label + ";object=k?module-path=" + st.module + "&pin-source=" + pinFile
	_, err := Generate(context.Background(), uri, Ed25519)
	if !errors.Is(err, ErrInsecurePermissions) {
		t.Fatalf("err = %v, want ErrInsecurePermissions", err)
	}
	if strings.Contains(err.Error(), testPIN) {
		t.Fatal("error shows the PIN")
	}
}
