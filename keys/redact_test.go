//go:build cgo

package keys

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formats are every way a signer, URI or error is likely to reach a log.
var formats = []string{"%v", "%+v", "%#v", "%s", "%q"}

func assertRedacted(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for _, f := range formats {
		out := fmt.Sprintf(f, v)
		for _, secret := range secrets {
			if secret != "" && strings.Contains(out, secret) {
				t.Errorf("%s of %T shows a secret: %s", f, v, out)
			}
		}
	}
}

func TestNoPINInOutput(t *testing.T) {
	st := newSoftToken(t)
	ctx := context.Background()
	s, err := Generate(ctx, st.uri("object=k"), ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	assertRedacted(t, s, testPIN)
	u, _ := ParsePKCS11URI(st.uri("object=k"))
	assertRedacted(t, u, testPIN)
	assertRedacted(t, *u, testPIN)

	_, err = Open(ctx, "pkcs11:token="+st.label+";object=k?module-path="+st.module+"&pin-value="+testPIN+"x")
	assertRedacted(t, err, testPIN)
	_, err = Open(ctx, st.uri("object=k;bogus=1"))
	assertRedacted(t, err, testPIN)
	_, err = Open(ctx, st.uri("object=k")+"&pin-source=/x")
	assertRedacted(t, err, testPIN)
}

func TestNoPrivateKeyInOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.pem")
	s, err := Generate(context.Background(), path, Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed := s.(*fileSigner).key.(ed25519.PrivateKey).Seed()
	der, _ := x509.MarshalPKCS8PrivateKey(s.(*fileSigner).key)
	secrets := []string{string(seed), hex.EncodeToString(seed), fmt.Sprint(seed), fmt.Sprintf("%x", []byte(seed)),
		base64.StdEncoding.EncodeToString(der)[20:60]}
	assertRedacted(t, s, secrets...)

	os.Chmod(path, 0o644)
	_, err = Open(context.Background(), path)
	assertRedacted(t, err, secrets...)
	os.Chmod(path, 0o600)
	data, _ := os.ReadFile(path)
	os.WriteFile(path, append(data, "trailing"...), 0o600)
	_, err = Open(context.Background(), path)
	assertRedacted(t, err, secrets...)
}
