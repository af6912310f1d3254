package keys

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// maxURILength bounds a key URI; RFC 7512 sets no limit, so the consumer must.
const maxURILength = 4096

// PKCS11URI is the part of an RFC 7512 "pkcs11:" URI that names a private key:
// the token (by label, serial or slot id), the key (by object label, id or both), the
// module to load and where the user PIN comes from.
//
// Its String form is the URI with any pin-value replaced by "REDACTED"; the PIN itself
// is unexported and read only when the token is opened.
type PKCS11URI struct {
	Token      string // token= (CK_TOKEN_INFO label)
	Serial     string // serial= (CK_TOKEN_INFO serialNumber)
	SlotID     *uint  // slot-id=
	Object     string // object= (CKA_LABEL)
	ID         []byte // id= (CKA_ID), percent-decoded bytes
	ModulePath string // module-path=: absolute path of the PKCS#11 library
	PINSource  string // pin-source=: a file path or file: URI holding the PIN

	pin    string // pin-value=
	hasPIN bool
}

// pathAttrs and queryAttrs are the attributes ParsePKCS11URI accepts. Others, such as
// module-name (which needs a module search path) or library-*, are rejected rather
// than ignored, so that a misspelt attribute cannot widen the match to another key.
var pathAttrs = map[string]bool{"token": true, "serial": true, "slot-id": true, "object": true, "id": true, "type": true}
var queryAttrs = map[string]bool{"module-path": true, "pin-value": true, "pin-source": true}

// ParsePKCS11URI parses an RFC 7512 URI naming a private key. It needs module-path
// and one of token, serial or slot-id; type, when present, must be "private"; each
// attribute may appear once. Errors are [*URIError] values that never include a PIN.
func ParsePKCS11URI(s string) (*PKCS11URI, error) {
	if len(s) > maxURILength {
		return nil, &URIError{URI: "pkcs11:…", Reason: fmt.Sprintf("longer than %d bytes", maxURILength)}
	}
	rest, ok := cutPrefixFold(s, "pkcs11:")
	if !ok {
		return nil, &URIError{URI: "(not pkcs11)", Reason: `does not start with "pkcs11:"`}
	}
	pathPart, query, _ := strings.Cut(rest, "?")
	if !validChars(pathPart, pathChars) || !validChars(query, queryChars) {
		return nil, &URIError{URI: "pkcs11:…", Reason: "has a character that RFC 7512 requires to be percent-encoded"}
	}
	u := &PKCS11URI{}
	if err := u.parseAttrs(pathPart, ";", pathAttrs); err != nil {
		return nil, err
	}
	if err := u.parseAttrs(query, "&", queryAttrs); err != nil {
		return nil, err
	}
	if err := u.validate(); err != nil {
		return nil, err
	}
	return u, nil
}

// The characters RFC 7512 allows unencoded, besides unreserved ones and "%": in the
// path (pk11-pchar, plus the ";" and "=" that separate attributes) and in the query
// (pk11-qchar, plus "&").
const (
	pathChars  = ":[]@!$'()*+,=&;"
	queryChars = ":[]@!$'()*+,=/?|&"
)

func validChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved(c) && c != '%' && strings.IndexByte(extra, c) < 0 {
			return false
		}
	}
	return true
}

func unreserved(c byte) bool {
	return c == '-' || c == '.' || c == '_' || c == '~' ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

func (u *PKCS11URI) parseAttrs(part, sep string, allowed map[string]bool) error {
	if part == "" {
		return nil
	}
	seen := map[string]bool{}
	for _, attr := range strings.Split(part, sep) {
		name, raw, ok := strings.Cut(attr, "=")
		if !ok {
			// Without "=" the text may be a misplaced PIN: never echo it.
			return &URIError{URI: u.String(), Reason: "attribute without a value"}
		}
		if !allowed[name] {
			return &URIError{URI: u.String(), Reason: fmt.Sprintf("unsupported attribute %.32q", name)}
		}
		if seen[name] {
			return &URIError{URI: u.String(), Reason: fmt.Sprintf("attribute %q appears twice", name)}
		}
		seen[name] = true
		value, err := url.PathUnescape(raw)
		if err != nil {
			return &URIError{URI: u.String(), Reason: fmt.Sprintf("attribute %q is not percent-encoded correctly", name)}
		}
		if err := u.set(name, value); err != nil {
			return err
		}
	}
	return nil
}

func (u *PKCS11URI) set(name, value string) error {
	switch name {
	case "token":
		u.Token = value
	case "serial":
		u.Serial = value
	case "slot-id":
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil {
			return &URIError{URI: u.String(), Reason: "slot-id is not a decimal number"}
		}
		id := uint(n)
		u.SlotID = &id
	case "object":
		u.Object = value
	case "id":
		u.ID = []byte(value)
	case "type":
		if value != "private" {
			return &URIError{URI: u.String(), Reason: `type must be "private" for a signing key`}
		}
	case "module-path":
		u.ModulePath = value
	case "pin-value":
		u.pin, u.hasPIN = value, true
	case "pin-source":
		u.PINSource = value
	}
	return nil
}

func (u *PKCS11URI) validate() error {
	switch {
	case u.ModulePath == "" || !strings.HasPrefix(u.ModulePath, "/"):
		return &URIError{URI: u.String(), Reason: "needs module-path, an absolute path of the PKCS#11 library"}
	case u.hasPIN && u.PINSource != "":
		return &URIError{URI: u.String(), Reason: "has both pin-value and pin-source"}
	}
	selectors := 0
	for _, set := range []bool{u.Token != "", u.Serial != "", u.SlotID != nil} {
		if set {
			selectors++
		}
	}
	if selectors != 1 {
		return &URIError{URI: u.String(), Reason: "needs exactly one of token, serial or slot-id"}
	}
	// Percent-encoding may lengthen the URI: its canonical form must parse again.
	if len(u.String()) > maxURILength {
		return &URIError{URI: "pkcs11:…", Reason: fmt.Sprintf("longer than %d bytes once percent-encoded", maxURILength)}
	}
	return nil
}

// String returns the URI in RFC 7512 form with a pin-value replaced by "REDACTED".
func (u PKCS11URI) String() string {
	var path, query []string
	add := func(list *[]string, name, value string) {
		if value != "" {
			*list = append(*list, name+"="+escapeAttr(value, list == &query))
		}
	}
	add(&path, "token", u.Token)
	add(&path, "serial", u.Serial)
	if u.SlotID != nil {
		add(&path, "slot-id", strconv.FormatUint(uint64(*u.SlotID), 10))
	}
	add(&path, "object", u.Object)
	add(&path, "id", string(u.ID))
	add(&query, "module-path", u.ModulePath)
	add(&query, "pin-source", u.PINSource)
	if u.hasPIN {
		query = append(query, "pin-value=REDACTED")
	}
	s := "pkcs11:" + strings.Join(path, ";")
	if len(query) > 0 {
		s += "?" + strings.Join(query, "&")
	}
	return s
}

// GoString keeps %#v from printing the PIN.
func (u PKCS11URI) GoString() string { return u.String() }

// escapeAttr percent-encodes every byte outside RFC 3986 unreserved characters, and
// "/" too in the path, where RFC 7512 does not allow it unencoded.
func escapeAttr(v string, inQuery bool) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if unreserved(c) || (c == '/' && inQuery) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// maxPINFileSize bounds a pin-source file.
const maxPINFileSize = 1024

// userPIN returns the PIN from pin-value or from the pin-source file, which must be
// private to its owner like a key file. A trailing newline is dropped.
func (u *PKCS11URI) userPIN() (string, error) {
	if u.PINSource == "" {
		return u.pin, nil
	}
	path, err := filePath(u.PINSource)
	if err != nil {
		return "", err
	}
	data, err := readPrivateFile(path)
	if err != nil {
		return "", err
	}
	defer clear(data)
	if len(data) > maxPINFileSize {
		return "", &URIError{URI: u.String(), Reason: "pin-source file is too large"}
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}
