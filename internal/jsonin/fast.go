package jsonin

import (
	"encoding/json"
	"encoding/json/jsontext"
)

// scanner is the fast path of [walk]: a hand-written reader of input that is already known to be
// valid UTF-8 and within the size limit. It accepts only what the jsontext walker accepts and
// builds the same value; at anything else (a syntax error, a duplicate name, a noncharacter, a
// nesting too deep, or merely something it does not handle) it gives up, and walk runs the
// walker, which accepts the input or refuses it with its precise error. Giving up is always
// safe: FuzzFastPath checks that an accepted input decodes to the walker's value.
type scanner struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	nonchars bool // AllowNoncharacters
}

// fastDecode returns the value of data and true, or false when the walker must decide.
func fastDecode(data []byte, opts Options) (any, bool) {
	s := scanner{data: data, maxDepth: opts.maxDepth(), nonchars: opts.AllowNoncharacters}
	v, ok := s.value()
	if !ok {
		return nil, false
	}
	s.space()
	return v, s.pos == len(s.data)
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) value() (any, bool) {
	s.space()
	if s.pos >= len(s.data) {
		return nil, false
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object()
	case c == '[':
		return s.array()
	case c == '"':
		if str, ok := s.str(false); ok {
			return str, true
		}
		return nil, false
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return true, s.literal("true")
	case c == 'f':
		return false, s.literal("false")
	case c == 'n':
		return nil, s.literal("null")
	}
	return nil, false
}

// open enters the object or array at s.pos.
func (s *scanner) open() bool {
	s.pos++
	s.depth++
	return s.depth <= s.maxDepth
}

// next consumes the ',' or the closing byte after a member or element; more reports a ','.
func (s *scanner) next(closing byte) (more, ok bool) {
	s.space()
	if s.pos >= len(s.data) {
		return false, false
	}
	switch s.data[s.pos] {
	case ',':
		s.pos++
		return true, true
	case closing:
		s.pos++
		s.depth--
		return false, true
	}
	return false, false
}

func (s *scanner) object() (any, bool) {
	if !s.open() {
		return nil, false
	}
	m := map[string]any{}
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		s.depth--
		return m, true
	}
	for {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return nil, false
		}
		name, ok := s.str(true)
		if !ok {
			return nil, false
		}
		if _, dup := m[name]; dup {
			return nil, false
		}
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, false
		}
		s.pos++
		v, ok := s.value()
		if !ok {
			return nil, false
		}
		m[name] = v
		more, ok := s.next('}')
		if !ok {
			return nil, false
		}
		if !more {
			return m, true
		}
	}
}

func (s *scanner) array() (any, bool) {
	if !s.open() {
		return nil, false
	}
	a := []any{}
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		s.depth--
		return a, true
	}
	for {
		v, ok := s.value()
		if !ok {
			return nil, false
		}
		a = append(a, v)
		more, ok := s.next(']')
		if !ok {
			return nil, false
		}
		if !more {
			return a, true
		}
	}
}

// str reads the string at s.pos. Without escapes its bytes are the value (the input is valid
// UTF-8); with escapes jsontext unquotes it, as the walker does. A member name the data model
// defines is not allocated again.
func (s *scanner) str(name bool) (string, bool) {
	start := s.pos
	escaped, high := false, false
	i := start + 1
	for ; i < len(s.data); i++ {
		c := s.data[i]
		if plain[c] {
			continue
		}
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", false
		}
		if c == '\\' {
			escaped = true
			i++
		}
		high = high || c >= 0xEF // the lead byte of every noncharacter
	}
	if i >= len(s.data) {
		return "", false
	}
	s.pos = i + 1
	raw := s.data[start+1 : i]
	if escaped {
		var err error
		if raw, err = jsontext.AppendUnquote(nil, s.data[start:s.pos]); err != nil {
			return "", false
		}
	}
	if !s.nonchars && (high || escaped) {
		if _, found := firstNoncharacter(raw); found {
			return "", false
		}
	}
	if name {
		if known, ok := knownNames[string(raw)]; ok {
			return known, true
		}
	}
	return string(raw), true
}

// plain marks the bytes that str passes over: all but '"', '\\', control characters and the
// lead bytes of noncharacters.
var plain = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c < 0xEF
	}
	return t
}()

// knownNames are member names that most documents repeat: credentials, proofs, JOSE headers
// and JWT claims.
var knownNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"@context", "@id", "@type", "@value", "@language", "id", "type",
		"name", "description", "issuer", "holder", "validFrom", "validUntil", "credentialSubject",
		"credentialStatus", "credentialSchema", "statusPurpose", "statusListIndex",
		"statusListCredential", "evidence", "termsOfUse", "refreshService", "relatedResource",
		"digestMultibase", "verifiableCredential", "proof", "cryptosuite", "created", "expires",
		"verificationMethod", "proofPurpose", "proofValue", "challenge", "domain", "nonce",
		"previousProof", "alg", "kid", "typ", "cty", "x5c", "iss", "sub", "aud", "exp", "nbf", "iat",
		"jti", "kty", "crv", "x", "y", "controller", "publicKeyMultibase", "publicKeyJwk"} {
		m[n] = n
	}
	return m
}()

// number reads the number at s.pos (RFC 8259 §6) as the exact literal.
func (s *scanner) number() (any, bool) {
	start := s.pos
	if s.data[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.data) && s.data[s.pos] == '0':
		s.pos++
	case s.digits() == 0:
		return nil, false
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, false
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, false
		}
	}
	return json.Number(s.data[start:s.pos]), s.delimited()
}

func (s *scanner) digits() int {
	n := 0
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

func (s *scanner) literal(lit string) bool {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return false
	}
	s.pos += len(lit)
	return s.delimited()
}

// delimited reports whether the number or literal just read ends where a value may end, so
// that "01" or "truex" is left to the walker.
func (s *scanner) delimited() bool {
	if s.pos == len(s.data) {
		return true
	}
	switch s.data[s.pos] {
	case ' ', '\t', '\n', '\r', ',', '}', ']':
		return true
	}
	return false
}
