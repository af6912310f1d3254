//go:build cgo

package keys

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// PKCS#11 3.0 constants for EdDSA, which miekg/pkcs11 v1.1.2 does not define.
const (
	ckkECEdwards            = 0x40   // CKK_EC_EDWARDS
	ckmECEdwardsKeyPairGen  = 0x1055 // CKM_EC_EDWARDS_KEY_PAIR_GEN
	ckmEdDSA                = 0x1057 // CKM_EDDSA
	sessionWait             = 30 * time.Second
	generatedIDLength       = 16
	maxAttributeValueLength = 1 << 16
)

// token is one logged-in PKCS#11 token. crypto11 initialises the module and logs in
// (login state is per application, so every session of raw is logged in too); raw is a
// second handle on the same, already initialised module, used for Ed25519 and for
// inspecting objects. raw is never finalised here: crypto11 finalises the module when
// its last context closes.
type token struct {
	uri  *PKCS11URI
	c11  *crypto11.Context
	raw  *pkcs11.Ctx
	slot uint
	idle chan pkcs11.SessionHandle // open sessions of raw kept for signing
	// login is set once acquireLogin has recorded the PIN t logged in with.
	login bool
}

// idleSessions bounds the sessions a token keeps open between signatures.
const idleSessions = 4

func openToken(ctx context.Context, u *PKCS11URI) (*token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(u.ModulePath); err != nil {
		return nil, fmt.Errorf("%w: %s: module %s: %w", ErrHSMUnavailable, u, u.ModulePath, err)
	}
	pin, err := u.userPIN()
	if err != nil {
		return nil, err
	}
	c11, err := crypto11.Configure(&crypto11.Config{
		Path: u.ModulePath, TokenLabel: u.Token, TokenSerial: u.Serial, SlotNumber: slotNumber(u.SlotID),
		Pin: pin, PoolWaitTimeout: sessionWait,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrHSMUnavailable, u, redactPIN(err.Error(), pin))
	}
	t := &token{uri: u, c11: c11, idle: make(chan pkcs11.SessionHandle, idleSessions)}
	if err := t.openRaw(); err != nil {
		c11.Close()
		return nil, err
	}
	if err := t.acquireLogin(pin); err != nil {
		t.close()
		return nil, err
	}
	t.login = true
	return t, nil
}

func slotNumber(id *uint) *int {
	if id == nil {
		return nil
	}
	n := int(*id)
	return &n
}

// redactPIN removes the PIN from a library's error text, in case a module echoes it.
func redactPIN(msg, pin string) string {
	if pin == "" {
		return msg
	}
	return strings.ReplaceAll(msg, pin, "REDACTED")
}

func (t *token) openRaw() error {
	raw := pkcs11.New(t.uri.ModulePath)
	if raw == nil {
		return fmt.Errorf("%w: %s: module does not load", ErrHSMUnavailable, t.uri)
	}
	if err := raw.Initialize(); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		raw.Destroy()
		return t.fail("initialise module", err)
	}
	t.raw = raw
	slot, err := t.findSlot()
	if err != nil {
		raw.Destroy()
		return err
	}
	t.slot = slot
	return nil
}

func (t *token) findSlot() (uint, error) {
	slots, err := t.raw.GetSlotList(true)
	if err != nil {
		return 0, t.fail("list slots", err)
	}
	for _, slot := range slots {
		info, err := t.raw.GetTokenInfo(slot)
		if err != nil {
			continue
		}
		if t.matches(slot, info) {
			return slot, nil
		}
	}
	return 0, fmt.Errorf("%w: %s: token not present", ErrHSMUnavailable, t.uri)
}

func (t *token) matches(slot uint, info pkcs11.TokenInfo) bool {
	switch {
	case t.uri.SlotID != nil:
		return slot == *t.uri.SlotID
	case t.uri.Serial != "":
		return strings.TrimRight(info.SerialNumber, " \x00") == t.uri.Serial
	}
	return strings.TrimRight(info.Label, " \x00") == t.uri.Token
}

// fail wraps a PKCS#11 error as ErrHSMUnavailable, naming the operation and token.
func (t *token) fail(op string, err error) error {
	return fmt.Errorf("%w: %s: %s: %w", ErrHSMUnavailable, t.uri, op, err)
}

func (t *token) close() error {
	if t.login {
		t.releaseLogin()
		t.login = false
	}
	for len(t.idle) > 0 {
		t.raw.CloseSession(<-t.idle)
	}
	if t.raw != nil {
		t.raw.Destroy()
		t.raw = nil
	}
	return t.c11.Close()
}

// session runs f in a new session of the token, read-write when rw is set.
func (t *token) session(rw bool, f func(pkcs11.SessionHandle) error) error {
	flags := uint(pkcs11.CKF_SERIAL_SESSION)
	if rw {
		flags |= pkcs11.CKF_RW_SESSION
	}
	sh, err := t.raw.OpenSession(t.slot, flags)
	if err != nil {
		return t.fail("open session", err)
	}
	defer t.raw.CloseSession(sh)
	return f(sh)
}

// signingSession returns an idle session or opens one. Give it back with release.
func (t *token) signingSession() (pkcs11.SessionHandle, error) {
	select {
	case sh := <-t.idle:
		return sh, nil
	default:
		return t.raw.OpenSession(t.slot, pkcs11.CKF_SERIAL_SESSION)
	}
}

// release keeps a session that worked for the next signature, and closes one that
// failed, so a session broken by a token or module fault is never reused.
func (t *token) release(sh pkcs11.SessionHandle, failed bool) {
	if !failed {
		select {
		case t.idle <- sh:
			return
		default:
		}
	}
	t.raw.CloseSession(sh)
}

// findPrivateKeys returns the handles of private keys matching the URI's object and id.
func (t *token) findPrivateKeys(sh pkcs11.SessionHandle, u *PKCS11URI) ([]pkcs11.ObjectHandle, error) {
	return t.find(sh, keyTemplate(pkcs11.CKO_PRIVATE_KEY, u.Object, u.ID))
}

func keyTemplate(class uint, label string, id []byte) []*pkcs11.Attribute {
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, class)}
	if label != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, label))
	}
	if len(id) > 0 {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, id))
	}
	return tmpl
}

func (t *token) find(sh pkcs11.SessionHandle, tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	if err := t.raw.FindObjectsInit(sh, tmpl); err != nil {
		return nil, t.fail("find objects", err)
	}
	handles, _, err := t.raw.FindObjects(sh, 2)
	if ferr := t.raw.FindObjectsFinal(sh); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return nil, t.fail("find objects", err)
	}
	return handles, nil
}

// attribute reads one attribute of an object.
func (t *token) attribute(sh pkcs11.SessionHandle, h pkcs11.ObjectHandle, typ uint) ([]byte, error) {
	attrs, err := t.raw.GetAttributeValue(sh, h, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if err != nil {
		return nil, err
	}
	if len(attrs) != 1 || len(attrs[0].Value) > maxAttributeValueLength {
		return nil, fmt.Errorf("attribute 0x%x has no usable value", typ)
	}
	return attrs[0].Value, nil
}

// openPKCS11 opens the token and returns a signer for the one private key the URI names.
func openPKCS11(ctx context.Context, u *PKCS11URI) (Signer, error) {
	if u.Object == "" && len(u.ID) == 0 {
		return nil, &URIError{URI: u.String(), Reason: "needs object, id or both to name a key"}
	}
	t, err := openToken(ctx, u)
	if err != nil {
		return nil, err
	}
	s, err := t.signer(u)
	if err != nil {
		t.close()
		return nil, err
	}
	return s, nil
}

func (t *token) signer(u *PKCS11URI) (Signer, error) {
	var handle pkcs11.ObjectHandle
	var keyType []byte
	err := t.session(false, func(sh pkcs11.SessionHandle) error {
		handles, err := t.findPrivateKeys(sh, u)
		if err != nil {
			return err
		}
		if len(handles) != 1 {
			return fmt.Errorf("%w: %s: %d private keys match (need exactly one)", ErrKeyNotFound, u, len(handles))
		}
		handle = handles[0]
		keyType, err = t.attribute(sh, handle, pkcs11.CKA_KEY_TYPE)
		if err != nil {
			return t.fail("read key type", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bytesToUint(keyType) == ckkECEdwards {
		return t.edSigner(handle, u)
	}
	return t.c11Signer(u)
}

// bytesToUint decodes a CK_ULONG attribute value, stored in host byte order.
func bytesToUint(b []byte) uint {
	switch len(b) {
	case 8:
		return uint(binary.NativeEndian.Uint64(b))
	case 4:
		return uint(binary.NativeEndian.Uint32(b))
	}
	return ^uint(0)
}
