//go:build cgo

package keys

import (
	"crypto"
	"fmt"
	"io"
	"sync"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// hsmSigner is a key on a PKCS#11 token. sign is the backend's signing function:
// crypto11's for ECDSA and RSA, raw CKM_EDDSA for Ed25519.
type hsmSigner struct {
	t   *token
	u   *PKCS11URI
	alg Algorithm
	pub crypto.PublicKey

	sign func(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error)

	mu     sync.RWMutex
	closed bool
}

var _ Signer = (*hsmSigner)(nil)

func (s *hsmSigner) Public() crypto.PublicKey { return s.pub }
func (s *hsmSigner) Algorithm() Algorithm     { return s.alg }

// String names the token and key; the PIN is redacted.
func (s *hsmSigner) String() string {
	return "keys.Signer(" + s.u.String() + ", " + s.alg.String() + ")"
}

// GoString keeps %#v from printing the PIN.
func (s *hsmSigner) GoString() string { return s.String() }

// Sign asks the token to sign. Any failure of the token or module is returned as an
// error wrapping ErrHSMUnavailable; there is no fallback.
func (s *hsmSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if err := checkSignerOpts(s.alg, digest, opts); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, fmt.Errorf("%w: %s", ErrClosed, s)
	}
	sig, err := s.sign(rand, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: sign: %w", ErrHSMUnavailable, s, err)
	}
	return sig, nil
}

// Close logs out, closes the sessions and releases the module. It is safe to call twice.
func (s *hsmSigner) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.t.close()
}

// c11Signer finds the ECDSA or RSA key pair through crypto11.
func (t *token) c11Signer(u *PKCS11URI) (Signer, error) {
	var id, label []byte
	if len(u.ID) > 0 {
		id = u.ID
	}
	if u.Object != "" {
		label = []byte(u.Object)
	}
	key, err := t.c11.FindKeyPair(id, label)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeyNotFound, u, err)
	}
	return t.wrapC11(u, key)
}

func (t *token) wrapC11(u *PKCS11URI, key crypto11.Signer) (Signer, error) {
	alg, err := algorithmOf(key.Public())
	if err != nil {
		return nil, err
	}
	return &hsmSigner{t: t, u: u, alg: alg, pub: key.Public(), sign: key.Sign}, nil
}

// generateC11 generates an ECDSA or RSA key pair through crypto11 with explicit
// attributes: the private key is a token object, private, sensitive and never
// extractable.
func (t *token) generateC11(u *PKCS11URI, alg Algorithm) (Signer, error) {
	pub, priv, err := c11Templates(u)
	if err != nil {
		return nil, err
	}
	var key crypto11.Signer
	if c := alg.curve(); c != nil {
		key, err = t.c11.GenerateECDSAKeyPairWithAttributes(pub, priv, c)
	} else {
		key, err = t.c11.GenerateRSAKeyPairWithAttributes(pub, priv, alg.rsaBits())
	}
	if err != nil {
		return nil, t.fail("generate "+alg.String()+" key pair", err)
	}
	return t.wrapC11(u, key)
}

func c11Templates(u *PKCS11URI) (pub, priv crypto11.AttributeSet, err error) {
	pub, priv = crypto11.NewAttributeSet(), crypto11.NewAttributeSet()
	for _, a := range []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
		pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, false),
	} {
		priv[a.Type] = a
	}
	for _, set := range []crypto11.AttributeSet{pub, priv} {
		if err := set.Set(crypto11.CkaId, u.ID); err != nil {
			return nil, nil, err
		}
		if u.Object != "" {
			if err := set.Set(crypto11.CkaLabel, u.Object); err != nil {
				return nil, nil, err
			}
		}
	}
	return pub, priv, nil
}
