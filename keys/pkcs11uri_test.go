package keys

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParsePKCS11URI(t *testing.T) {
	const mod = "?module-path=/usr/lib/softhsm/libsofthsm2.so"
	for _, tc := range []struct {
		uri    string
		token  string
		object string
		id     []byte
		pin    string
	}{
		{"pkcs11:token=ca;object=owner" + mod, "ca", "owner", nil, ""},
		{"PKCS11:token=My%20CA;id=%01%02%ff" + mod + "&pin-value=1234", "My CA", "", []byte{1, 2, 0xff}, "1234"},
		{"pkcs11:token=ca;object=a%3Bb;type=private" + mod, "ca", "a;b", nil, ""},
		{"pkcs11:token=ca;object=a%2Fb:c@d" + mod, "ca", "a/b:c@d", nil, ""},
	} {
		t.Run(tc.uri, func(t *testing.T) {
			u, err := ParsePKCS11URI(tc.uri)
			if err != nil {
				t.Fatal(err)
			}
			if u.Token != tc.token || u.Object != tc.object || !bytes.Equal(u.ID, tc.id) || u.pin != tc.pin {
				t.Fatalf("got %+v", u)
			}
			again, err := ParsePKCS11URI(u.String())
			if err != nil || again.Token != u.Token || again.Object != u.Object || !bytes.Equal(again.ID, u.ID) {
				t.Fatalf("String %q does not parse back: %v", u.String(), err)
			}
		})
	}
}

func TestParsePKCS11URIErrors(t *testing.T) {
	const mod = "?module-path=/m.so"
	for _, uri := range []string{
		"pkcs11:token=ca;object=k",                       // no module
		"pkcs11:token=ca?module-path=relative.so",        // relative module
		"pkcs11:object=k" + mod,                          // no token
		"pkcs11:token=a;serial=1" + mod,                  // two token selectors
		"pkcs11:token=ca;token=cb" + mod,                 // repeated attribute
		"pkcs11:token=ca;objcet=k" + mod,                 // unknown attribute
		"pkcs11:token=ca;type=cert" + mod,                // not a private key
		"pkcs11:token=ca;object=%zz" + mod,               // bad escape
		"pkcs11:token=ca;slot-id=x" + mod,                // bad slot id
		"pkcs11:token=ca" + mod + "&module-name=softhsm", // module-name needs search paths
		"pkcs11:token=ca" + mod + "&pin-value=1&pin-source=/p",
		"pkcs11:token=ca;object" + mod,
		"file:/k.pem",
		"pkcs11:token=" + strings.Repeat("a", maxURILength) + mod,
		"pkcs11:token=ca;object=a/b" + mod,                // "/" is not a pk11-pchar
		"pkcs11:token=ca;object=a b" + mod,                // nor is a space
		"pkcs11:token=ca" + mod + "\x00",                  // nor a NUL
		"pkcs11:token=" + strings.Repeat(":", 1400) + mod, // over the bound once encoded
	} {
		t.Run(uri[:min(len(uri), 60)], func(t *testing.T) {
			_, err := ParsePKCS11URI(uri)
			var ue *URIError
			if !errors.Is(err, ErrInvalidURI) || !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a *URIError", err)
			}
		})
	}
}

func FuzzParsePKCS11URI(f *testing.F) {
	f.Add("pkcs11:token=ca;object=owner;id=%01?module-path=/m.so&pin-value=1234")
	f.Add("pkcs11:serial=1;type=private?module-path=/m.so&pin-source=file:/p")
	f.Add("pkcs11:slot-id=3;object=%00?module-path=/m.so")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParsePKCS11URI(s)
		if err != nil {
			if strings.Contains(err.Error(), "pin-value=") && !strings.Contains(err.Error(), "pin-value=REDACTED") {
				t.Fatalf("error shows a PIN: %v", err)
			}
			return
		}
		again, err := ParsePKCS11URI(u.String())
		if err != nil {
			t.Fatalf("String %q of a parsed URI does not parse: %v", u.String(), err)
		}
		if again.Token != u.Token || again.Serial != u.Serial || again.Object != u.Object ||
			!bytes.Equal(again.ID, u.ID) || again.ModulePath != u.ModulePath || again.PINSource != u.PINSource {
			t.Fatalf("round trip changed %+v into %+v", u, again)
		}
		if u.hasPIN && strings.Contains(u.String(), "pin-value="+u.pin+"&") && u.pin != "REDACTED" {
			t.Fatalf("String shows the PIN")
		}
	})
}
