package keys_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kakunin-dev/kakunin/keys"
)

// Generate a key into a private PEM file, open it again and sign with it. A PKCS#11
// key is used the same way, with a "pkcs11:" URI in place of the path.
func Example() {
	dir, _ := os.MkdirTemp("", "keys-example")
	defer os.RemoveAll(dir)
	uri := "file:" + filepath.Join(dir, "owner.pem")

	created, err := keys.Generate(context.Background(), uri, keys.Ed25519)
	if err != nil {
		fmt.Println(err)
		return
	}
	created.Close()

	signer, err := keys.Open(context.Background(), uri)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer signer.Close()
	msg := []byte("hello")
	sig, _ := signer.Sign(nil, msg, crypto.Hash(0))
	fmt.Println(signer.Algorithm(), ed25519.Verify(signer.Public().(ed25519.PublicKey), msg, sig))
	// Output: Ed25519 true
}

func ExampleParsePKCS11URI() {
	u, err := keys.ParsePKCS11URI("pkcs11:token=ca;object=owner?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.Token, u.Object)
	fmt.Println(u)
	// Output:
	// ca owner
	// pkcs11:token=ca;object=owner?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=REDACTED
}
