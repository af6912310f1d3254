package did

import (
	"encoding/json/jsontext"
	"fmt"
)

// parseJWK reads a publicKeyJwk object: string members as strings, x5c as an array of
// strings, "kty" required, no private members.
func parseJWK(path string, v jsontext.Value) (*JWK, error) {
	f, err := decodeObject(path, v)
	if err != nil {
		return nil, err
	}
	for _, k := range privateJWKMembers {
		if _, ok := f[k]; ok {
			return nil, docErr(path, "private key member %q", k)
		}
	}
	j := &JWK{}
	for _, m := range j.stringMembers() {
		if v, ok := f[m.name]; ok {
			if *m.dst, err = decodeString(path+"."+m.name, v); err != nil {
				return nil, err
			}
			delete(f, m.name)
		}
	}
	if j.Kty == "" {
		return nil, docErr(path, `missing "kty"`)
	}
	if v, ok := f["x5c"]; ok {
		if j.X5C, err = decodeSet(path+".x5c", v, false, nil); err != nil {
			return nil, err
		}
		delete(f, "x5c")
	}
	j.Extra = extra(f)
	return j, nil
}

type jwkMember struct {
	name string
	dst  *string
}

func (j *JWK) stringMembers() []jwkMember {
	return []jwkMember{{"kty", &j.Kty}, {"crv", &j.Crv}, {"x", &j.X}, {"y", &j.Y}, {"n", &j.N},
		{"e", &j.E}, {"kid", &j.Kid}, {"alg", &j.Alg}, {"use", &j.Use}}
}

func (j *JWK) object() object {
	var o object
	for _, m := range j.stringMembers() {
		o.addString(m.name, *m.dst)
	}
	if len(j.X5C) > 0 {
		o.add("x5c", j.X5C)
	}
	o.addExtra(j.Extra)
	return o
}

// MarshalJSON writes the JWK with its members in a fixed order.
func (j JWK) MarshalJSON() ([]byte, error) { return j.object().MarshalJSON() }

// MarshalJSONTo is MarshalJSON into enc.
func (j JWK) MarshalJSONTo(enc *jsontext.Encoder) error { return j.object().MarshalJSONTo(enc) }

// UnmarshalJSON reads a public JWK strictly (see ParseDocument).
func (j *JWK) UnmarshalJSON(b []byte) error {
	p, err := parseJWK("", b)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidJWK, err)
	}
	*j = *p
	return nil
}
