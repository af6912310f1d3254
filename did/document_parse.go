package did

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxDocumentSize bounds the DID documents ParseDocument reads, in bytes.
const MaxDocumentSize = 1 << 20

// DocumentError says where and why a DID document was rejected. It wraps
// ErrInvalidDocument.
type DocumentError struct {
	Path   string // the offending property, e.g. "verificationMethod[1].publicKeyJwk"
	Reason string
}

func (e *DocumentError) Error() string {
	if e.Path == "" {
		return "did: invalid DID document: " + e.Reason
	}
	return "did: invalid DID document: " + e.Path + ": " + e.Reason
}

func (e *DocumentError) Unwrap() error { return ErrInvalidDocument }

func docErr(path, format string, args ...any) error {
	return &DocumentError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// ParseDocument reads a DID document in any of the three representations (with or
// without @context) and checks it strictly: duplicate member names, wrong value types,
// missing required properties, malformed DIDs and DID URLs, duplicate verification
// method or service ids, private JWK members and more than one key material property
// per verification method are all errors, wrapping ErrInvalidDocument (see
// DocumentError). When @context is present its first entry must be the DID v1 or v1.1
// context. Key material is decoded only by VerificationMethod.PublicKey, so documents
// with key types this package cannot decode (X25519 for keyAgreement) still parse.
func ParseDocument(data []byte) (*Document, error) {
	if len(data) > MaxDocumentSize {
		return nil, docErr("", "larger than %d bytes", MaxDocumentSize)
	}
	var root jsontext.Value
	if err := json.Unmarshal(data, &root); err != nil {
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			return nil, docErr(pointerPath(se.JSONPointer), "%v", se.Err)
		}
		return nil, docErr("", "%v", err)
	}
	f, err := decodeObject("", root)
	if err != nil {
		return nil, err
	}
	d := &Document{}
	if err := d.parseTop(f); err != nil {
		return nil, err
	}
	if err := d.parseMethods(f); err != nil {
		return nil, err
	}
	if err := d.parseServices(f); err != nil {
		return nil, err
	}
	for _, k := range documentKeys {
		delete(f, k)
	}
	d.Extra = extra(f)
	return d, d.checkUniqueIDs()
}

var documentKeys = []string{"@context", "id", "controller", "alsoKnownAs", "verificationMethod",
	"authentication", "assertionMethod", "keyAgreement", "capabilityInvocation", "capabilityDelegation", "service"}

func (d *Document) parseTop(f fields) error {
	var err error
	if d.ID, err = requiredString("", f, "id"); err != nil {
		return err
	}
	if _, err := Parse(d.ID); err != nil {
		return docErr("id", "%v", err)
	}
	if v, ok := f["@context"]; ok {
		if d.Context, err = parseContext(v); err != nil {
			return err
		}
	}
	if v, ok := f["controller"]; ok {
		if d.Controller, err = decodeSet("controller", v, true, checkDID); err != nil {
			return err
		}
	}
	if v, ok := f["alsoKnownAs"]; ok {
		if d.AlsoKnownAs, err = decodeSet("alsoKnownAs", v, false, checkURI); err != nil {
			return err
		}
	}
	return nil
}

func checkDID(s string) error {
	_, err := Parse(s)
	return err
}

func parseContext(v jsontext.Value) ([]any, error) {
	items := []jsontext.Value{v}
	if v.Kind() == '[' {
		var err error
		if items, err = decodeArray("@context", v); err != nil {
			return nil, err
		}
	}
	out := make([]any, len(items))
	for i, item := range items {
		p := fmt.Sprintf("@context[%d]", i)
		switch item.Kind() {
		case '"':
			s, err := decodeString(p, item)
			if err != nil {
				return nil, err
			}
			out[i] = s
		case '{':
			out[i] = compact(item)
		default:
			return nil, docErr(p, "must be a string or an object, not %s", kindName(item))
		}
	}
	// DID Core 1.0 § 6.3.2 and 1.1 § JSON-LD: the first item is the DID context.
	if len(out) == 0 || out[0] != ContextV1 && out[0] != ContextV1_1 {
		return nil, docErr("@context", "first item must be %q or %q", ContextV1, ContextV1_1)
	}
	return out, nil
}

func (d *Document) parseMethods(f fields) error {
	if v, ok := f["verificationMethod"]; ok {
		items, err := decodeArray("verificationMethod", v)
		if err != nil {
			return err
		}
		d.VerificationMethod = make([]VerificationMethod, len(items))
		for i, item := range items {
			if d.VerificationMethod[i], err = d.parseMethod(fmt.Sprintf("verificationMethod[%d]", i), item); err != nil {
				return err
			}
		}
	}
	for _, rel := range relationships {
		v, ok := f[string(rel)]
		if !ok {
			continue
		}
		refs, err := d.parseRelationship(string(rel), v)
		if err != nil {
			return err
		}
		*d.relationship(rel) = refs
	}
	return nil
}

func (d *Document) parseRelationship(path string, v jsontext.Value) ([]MethodRef, error) {
	items, err := decodeArray(path, v)
	if err != nil {
		return nil, err
	}
	out := make([]MethodRef, len(items))
	for i, item := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		if item.Kind() == '{' {
			vm, err := d.parseMethod(p, item)
			if err != nil {
				return nil, err
			}
			out[i].Embedded = &vm
			continue
		}
		if out[i].Ref, err = decodeString(p, item); err != nil {
			return nil, docErr(p, "must be a DID URL or a verification method")
		}
		if err := d.checkRef(out[i].Ref); err != nil {
			return nil, docErr(p, "%v", err)
		}
	}
	return out, nil
}

func (d *Document) parseServices(f fields) error {
	v, ok := f["service"]
	if !ok {
		return nil
	}
	items, err := decodeArray("service", v)
	if err != nil {
		return err
	}
	d.Service = make([]Service, len(items))
	for i, item := range items {
		if d.Service[i], err = d.parseService(fmt.Sprintf("service[%d]", i), item); err != nil {
			return err
		}
	}
	return nil
}

// checkUniqueIDs rejects two verification methods or services with the same id once
// resolved against the document's DID (CID § 2.1.1: identifiers in a document are
// unique).
func (d *Document) checkUniqueIDs() error {
	seen := map[string]string{}
	absolute := d.absoluter()
	add := func(path, id string) error {
		abs := absolute(id)
		if abs == "" {
			abs = id
		}
		if prev, dup := seen[abs]; dup {
			return docErr(path+".id", "%q is also the id of %s", truncate(id), prev)
		}
		seen[abs] = path
		return nil
	}
	for i, vm := range d.VerificationMethod {
		if err := add(fmt.Sprintf("verificationMethod[%d]", i), vm.ID); err != nil {
			return err
		}
	}
	for _, rel := range relationships {
		for i, r := range d.Relationship(rel) {
			if r.Embedded == nil {
				continue
			}
			if err := add(fmt.Sprintf("%s[%d]", rel, i), r.Embedded.ID); err != nil {
				return err
			}
		}
	}
	for i, s := range d.Service {
		if err := add(fmt.Sprintf("service[%d]", i), s.ID); err != nil {
			return err
		}
	}
	return nil
}

// pointerPath turns a JSON Pointer to the parent of a syntax error into the path
// notation of DocumentError: "/verificationMethod/0/x" becomes "verificationMethod[0].x".
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}
