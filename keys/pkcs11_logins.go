//go:build cgo

package keys

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"sync"
)

// PKCS#11 login state belongs to the application, not to a session: once one key of a token
// is open, the module answers a second login CKR_USER_ALREADY_LOGGED_IN, which crypto11 takes
// for success, without checking that PIN. logins remembers, per module and slot, a MAC of the
// PIN that logged in, so that a key opened with another PIN is refused as it would be on its
// own, whatever order the keys are opened in. The MAC key is drawn for this process: the MAC
// of a short PIN found in a memory dump cannot be reversed by trying PINs.
var logins = struct {
	sync.Mutex
	m   map[loginKey]*login
	key [32]byte
}{m: map[loginKey]*login{}}

func init() { rand.Read(logins.key[:]) }

type loginKey struct {
	module string
	slot   uint
}

type login struct {
	pin  []byte // HMAC-SHA256 of the PIN under logins.key
	open int    // tokens open on it
}

func pinMAC(pin string) []byte {
	m := hmac.New(sha256.New, logins.key[:])
	m.Write([]byte(pin))
	return m.Sum(nil)
}

// acquireLogin records that t is open with pin, or fails when the token is already logged in
// with another PIN.
func (t *token) acquireLogin(pin string) error {
	k, mac := loginKey{t.uri.ModulePath, t.slot}, pinMAC(pin)
	logins.Lock()
	defer logins.Unlock()
	l := logins.m[k]
	if l == nil {
		logins.m[k] = &login{pin: mac, open: 1}
		return nil
	}
	if !hmac.Equal(l.pin, mac) {
		return fmt.Errorf("%w: %s: the PIN differs from the one this process logged in to the token with (CKR_PIN_INCORRECT)",
			ErrHSMUnavailable, t.uri)
	}
	l.open++
	return nil
}

// releaseLogin undoes acquireLogin when t closes.
func (t *token) releaseLogin() {
	k := loginKey{t.uri.ModulePath, t.slot}
	logins.Lock()
	defer logins.Unlock()
	if l := logins.m[k]; l != nil {
		if l.open--; l.open <= 0 {
			delete(logins.m, k)
		}
	}
}
