package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/web"
	"github.com/kakunin-dev/kakunin/keys"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// maxIssuerValidity bounds an instance's maxValidity.
const maxIssuerValidity = 10 * 365 * 24 * time.Hour

// checkIssuer checks what an instance's settings say on their own; the keys are opened, and
// checked against the cryptosuite, when the service starts (openIssuer).
func checkIssuer(s *issuerSpec) error {
	if err := checkNameAndDID(s); err != nil {
		return err
	}
	if err := checkKeyURI(s.Key); err != nil {
		return s.err("key", err.Error())
	}
	if s.Cryptosuite != "" && !slices.Contains(dataintegrity.DefaultCryptosuites(), s.Cryptosuite) {
		return s.err("cryptosuite", fmt.Sprintf("unknown cryptosuite %q; want one of %s", s.Cryptosuite,
			strings.Join(dataintegrity.DefaultCryptosuites(), ", ")))
	}
	for i, p := range s.Scopes {
		if _, err := scope.ParseActionPattern(p); err != nil {
			return s.err(fmt.Sprintf("allowedScopes[%d]", i), err.Error())
		}
	}
	if s.MaxValidity < 0 || s.MaxValidity > maxIssuerValidity {
		return s.err("maxValidity", fmt.Sprintf("%s: want between 0 (the default, 8784h) and %s", s.MaxValidity, maxIssuerValidity))
	}
	for i, t := range s.Tenants {
		if t == "" || strings.TrimSpace(t) != t || slices.Index(s.Tenants, t) != i {
			return s.err(fmt.Sprintf("tenants[%d]", i), fmt.Sprintf("%q: want distinct, non-empty tenant ids", t))
		}
	}
	return checkRetired(s)
}

// checkNameAndDID checks the name, the DID method and the did:kakunin agent.
func checkNameAndDID(s *issuerSpec) error {
	if !validInstanceName(s.Name) {
		return s.err("name", fmt.Sprintf("%q: want 1 to 64 of a-z, 0-9 and - (\"default\" is served at the root)", s.Name))
	}
	switch s.DID {
	case issuerDIDKey, issuerDIDWeb, issuerDIDKakunin:
	default:
		return s.err("did", fmt.Sprintf("%q: want key, web or kakunin", s.DID))
	}
	switch {
	case s.DID == issuerDIDKakunin && s.Agent == "":
		return s.err("agent", "required for a did:kakunin instance: the agent DID it issues as")
	case s.DID != issuerDIDKakunin && s.Agent != "":
		return s.err("agent", "only a did:kakunin instance names an agent")
	case s.Agent != "":
		if _, err := kakunin.Parse(s.Agent); err != nil {
			return s.err("agent", err.Error())
		}
	}
	return nil
}

// checkRetired checks the retired keys of a did:web instance: Multikey values or key URIs.
func checkRetired(s *issuerSpec) error {
	if len(s.Retired) > 0 && s.DID != issuerDIDWeb {
		return s.err("retired", "only a did:web instance lists retired keys (a did:key or did:kakunin credential names the key it was signed with)")
	}
	for i, r := range s.Retired {
		if _, err := did.DecodeMultikey(r); err == nil {
			continue
		}
		if err := checkKeyURI(r); err != nil {
			return s.err(fmt.Sprintf("retired[%d]", i), "neither a Multikey nor a usable key URI: "+err.Error())
		}
		if r == s.Key {
			return s.err(fmt.Sprintf("retired[%d]", i), "is the current key")
		}
	}
	return nil
}

// checkKeyURI checks a keys URI without opening the key: a pkcs11: URI must parse, a file
// must exist.
func checkKeyURI(uri string) error {
	if uri == "" {
		return fmt.Errorf("required: a key file path or a pkcs11: URI")
	}
	if strings.HasPrefix(strings.ToLower(uri), "pkcs11:") {
		_, err := keys.ParsePKCS11URI(uri)
		return err
	}
	// The value is never echoed: a private key pasted here must not reach the logs.
	if strings.Contains(uri, "-----BEGIN") || strings.Contains(uri, "\n") {
		return errors.New("a key is not written inline: give a key file path or a pkcs11: URI")
	}
	path := uri
	if strings.HasPrefix(uri, "file:") {
		u, err := url.Parse(uri)
		if err != nil {
			return fmt.Errorf("%w: not a file URI", keys.ErrInvalidURI)
		}
		path = u.Path + u.Opaque
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return errors.New("no such key file")
	} else if err != nil {
		return errors.New("the key file cannot be read")
	}
	return nil
}

// checkIssuers checks the instances together: distinct names, one of them "default".
func checkIssuers(specs []issuerSpec) error {
	seen := map[string]string{}
	for _, s := range specs {
		if other, dup := seen[s.Name]; dup {
			return s.err("name", fmt.Sprintf("%q is also the name of %s", s.Name, other))
		}
		seen[s.Name] = s.path
	}
	if _, ok := seen[issuerInstance]; !ok {
		return &specError{Path: "issuers", Line: specs0Line(specs),
			Reason: `no instance is named "default" (the one served at the root)`}
	}
	return nil
}

func specs0Line(specs []issuerSpec) int {
	if len(specs) == 0 {
		return 0
	}
	return specs[0].lines[""]
}

// validInstanceName is the rule of issuer.Instance.Name.
func validInstanceName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// webDID is the did:web of an instance: the base URL's host and path, then instances:{name}
// for other instances than the default, so that its document is served at
// /.well-known/did.json (or <path>/did.json) and /instances/{name}/did.json.
func webDID(baseURL, name string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("base URL %q: not an absolute URL", baseURL)
	}
	id := "did:web:" + strings.ReplaceAll(strings.ToLower(u.Host), ":", "%3A")
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if name != issuerInstance {
		segs = append(segs, "instances", name)
	}
	for _, s := range segs {
		// did:web §3.1: path segments are joined by ':', so a ':' inside one is encoded.
		id += ":" + strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	d, err := did.Parse(id)
	if err == nil {
		_, err = web.URL(d)
	}
	if err != nil {
		return "", fmt.Errorf("no did:web from the base URL %s: %w", baseURL, err)
	}
	return id, nil
}

// checkWebDIDs checks that the base URL gives every did:web instance its DID.
func (c serveConfig) checkWebDIDs() error {
	for _, s := range c.Issuers.list() {
		if s.DID != issuerDIDWeb {
			continue
		}
		if _, err := webDID(c.BaseURL, s.Name); err != nil {
			return s.err("did", err.Error())
		}
	}
	return nil
}
