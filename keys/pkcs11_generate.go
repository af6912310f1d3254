//go:build cgo

package keys

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/miekg/pkcs11"
)

// generatePKCS11 creates a non-extractable key pair on the token.
func generatePKCS11(ctx context.Context, u *PKCS11URI, alg Algorithm) (Signer, error) {
	if u.Object == "" && len(u.ID) == 0 {
		return nil, &URIError{URI: u.String(), Reason: "needs object, id or both to name the new key"}
	}
	if len(u.ID) == 0 {
		id := make([]byte, generatedIDLength)
		rand.Read(id)
		copied := *u
		copied.ID, u = id, &copied
	}
	t, err := openToken(ctx, u)
	if err != nil {
		return nil, err
	}
	s, err := t.generate(u, alg)
	if err != nil {
		t.close()
		return nil, err
	}
	return s, nil
}

func (t *token) generate(u *PKCS11URI, alg Algorithm) (Signer, error) {
	if err := t.ensureAbsent(u); err != nil {
		return nil, err
	}
	if alg == Ed25519 {
		return t.generateEd25519(u)
	}
	return t.generateC11(u, alg)
}

// ensureAbsent refuses to generate when a private key already has the object label or
// the id, so that a URI never names two keys.
func (t *token) ensureAbsent(u *PKCS11URI) error {
	return t.session(false, func(sh pkcs11.SessionHandle) error {
		for _, tmpl := range [][]*pkcs11.Attribute{
			keyTemplate(pkcs11.CKO_PRIVATE_KEY, u.Object, nil),
			keyTemplate(pkcs11.CKO_PRIVATE_KEY, "", u.ID),
		} {
			if len(tmpl) == 1 {
				continue
			}
			found, err := t.find(sh, tmpl)
			if err != nil {
				return err
			}
			if len(found) > 0 {
				return fmt.Errorf("%w: %s", ErrKeyExists, u)
			}
		}
		return nil
	})
}
