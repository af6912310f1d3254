package jose

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc"
)

// TestRoundTrip signs a credential with each algorithm and verifies it: the payload is the
// credential itself, member for member, and the header is what VC-JOSE-COSE prescribes.
func TestRoundTrip(t *testing.T) {
	for _, alg := range supported {
		t.Run(string(alg), func(t *testing.T) {
			issuer := newParty(t, "issuer", testSigner(t, alg))
			cred := parseCredential(t, credentialJSON(issuer.did))
			token, err := SignCredential(context.Background(), cred, issuer.signer,
				SignOptions{KeyID: issuer.kid("key-1"), Algorithm: alg, Resolver: resolverOf(issuer)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyCredential(context.Background(), token, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := cred.MarshalJSON()
			payload, _ := got.Credential.MarshalJSON()
			if !bytes.Equal(payload, want) {
				t.Errorf("payload = %s, want %s", payload, want)
			}
			h := got.Header
			if h.Algorithm != alg || h.Type != TypeCredential || h.KeyID != issuer.kid("key-1") || got.Method.ID != issuer.kid("key-1") {
				t.Errorf("header = %+v, method %s", h, got.Method.ID)
			}
		})
	}
}

// TestDefaultAlgorithm checks that an empty SignOptions.Algorithm picks the key's algorithm.
func TestDefaultAlgorithm(t *testing.T) {
	for alg, want := range map[Algorithm]Algorithm{EdDSA: EdDSA, ES256: ES256, ES384: ES384, RS256: PS256} {
		issuer := newParty(t, "issuer", testSigner(t, alg))
		token, err := SignCredential(context.Background(), parseCredential(t, credentialJSON(issuer.did)), issuer.signer, SignOptions{KeyID: issuer.kid("key-1")})
		if err != nil {
			t.Fatal(err)
		}
		got, err := VerifyCredential(context.Background(), token, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if got.Header.Algorithm != want {
			t.Errorf("%T key: alg %s, want %s", issuer.signer, got.Header.Algorithm, want)
		}
	}
}

// tamper describes a token to build from a valid credential and the error it must give.
type tamper struct {
	name    string
	token   func(t *testing.T, f fixture) []byte
	opts    func(o *VerifyOptions)
	problem error
	cause   error
}

// fixture is an issuer, another party and the issuer's valid token.
type fixture struct {
	issuer, other party
	payload       []byte
	header        map[string]any
}

func (f fixture) resign(t *testing.T, header map[string]any, payload []byte) []byte {
	return forge(t, header, payload, f.issuer.signer, Algorithm(header["alg"].(string)), nil)
}

func (f fixture) withHeader(t *testing.T, name string, v any) []byte {
	h := map[string]any{}
	for k, x := range f.header {
		h[k] = x
	}
	if v == nil {
		delete(h, name)
	} else {
		h[name] = v
	}
	return f.resign(t, h, f.payload)
}

func (f fixture) withMember(t *testing.T, name string, v any) []byte {
	var m map[string]any
	if err := json.Unmarshal(f.payload, &m); err != nil {
		t.Fatal(err)
	}
	m[name] = v
	p, _ := json.Marshal(m)
	return f.resign(t, f.header, p)
}

func newFixture(t *testing.T) fixture {
	issuer := newParty(t, "issuer", testSigner(t, EdDSA))
	other := newParty(t, "other", testSigner(t, ES256))
	return fixture{issuer: issuer, other: other, payload: []byte(credentialJSON(issuer.did)),
		header: map[string]any{"alg": "EdDSA", "typ": "vc+jwt", "kid": issuer.kid("key-1")}}
}

var tamperCases = []tamper{
	{name: "payload byte changed", problem: vc.ErrCryptographicSecurity, cause: ErrSignature,
		token: func(t *testing.T, f fixture) []byte {
			tok := f.resign(t, f.header, f.payload)
			parts := bytes.Split(tok, []byte("."))
			payload, _ := b64.DecodeString(string(parts[1]))
			payload = bytes.Replace(payload, []byte("250.00"), []byte("950.00"), 1)
			parts[1] = b64.AppendEncode(nil, payload)
			return bytes.Join(parts, []byte("."))
		}},
	{name: "signature byte changed", problem: vc.ErrCryptographicSecurity, cause: ErrSignature,
		token: func(t *testing.T, f fixture) []byte {
			return flipSignature(f.resign(t, f.header, f.payload))
		}},
	{name: "alg none", problem: vc.ErrCryptographicSecurity, cause: ErrAlgorithm,
		token: func(t *testing.T, f fixture) []byte {
			return forge(t, map[string]any{"alg": "none", "typ": "vc+jwt", "kid": f.issuer.kid("key-1")}, f.payload, nil, "", nil)
		}},
	{name: "alg HS256 keyed with the public key", problem: vc.ErrCryptographicSecurity, cause: ErrAlgorithm,
		token: func(t *testing.T, f fixture) []byte {
			h, _ := json.Marshal(map[string]any{"alg": "HS256", "typ": "vc+jwt", "kid": f.issuer.kid("key-1")})
			input := signingInput(h, f.payload, 32)
			mac := hmac.New(sha256.New, f.issuer.signer.Public().(ed25519.PublicKey))
			mac.Write(input)
			return assemble(input, mac.Sum(nil))
		}},
	{name: "alg not in allow-list", problem: vc.ErrCryptographicSecurity, cause: ErrAlgorithm,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, f.payload) },
		opts:  func(o *VerifyOptions) { o.Algorithms = []Algorithm{ES256} }},
	{name: "unsupported alg RS512", problem: vc.ErrCryptographicSecurity, cause: ErrAlgorithm,
		token: func(t *testing.T, f fixture) []byte {
			return forge(t, map[string]any{"alg": "RS512", "typ": "vc+jwt", "kid": f.issuer.kid("key-1")}, f.payload, nil, "", []byte("sig"))
		},
		opts: func(o *VerifyOptions) { o.Algorithms = []Algorithm{"RS512"} }},
	{name: "alg ES256 on an Ed25519 key", problem: vc.ErrCryptographicSecurity, cause: ErrKeyMismatch,
		token: func(t *testing.T, f fixture) []byte {
			return forge(t, map[string]any{"alg": "ES256", "typ": "vc+jwt", "kid": f.issuer.kid("key-1")}, f.payload, nil, "", make([]byte, 64))
		}},
	{name: "kid not under assertionMethod", problem: vc.ErrCryptographicSecurity, cause: ErrNotAuthorized,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", f.issuer.kid("invoke")) }},
	{name: "kid names no method", problem: vc.ErrCryptographicSecurity, cause: ErrKeyResolution,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", f.issuer.kid("nope")) }},
	{name: "kid of an unknown DID", problem: vc.ErrCryptographicSecurity, cause: did.ErrNotFound,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", "did:example:ghost#key-1") }},
	{name: "kid relative", problem: vc.ErrMalformedValue, cause: ErrHeader,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", "#key-1") }},
	{name: "kid missing", problem: vc.ErrMalformedValue, cause: ErrHeader,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", nil) }},
	{name: "kid DID is not the issuer", problem: vc.ErrCryptographicSecurity, cause: ErrSigner,
		token: func(t *testing.T, f fixture) []byte {
			return forge(t, map[string]any{"alg": "ES256", "typ": "vc+jwt", "kid": f.other.kid("key-1")}, f.payload, f.other.signer, ES256, nil)
		}},
	{name: "Multikey method", problem: vc.ErrCryptographicSecurity, cause: ErrKeyMismatch,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "kid", f.issuer.kid("mk")) }},
	{name: "typ JWT", problem: vc.ErrMalformedValue, cause: ErrType,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "typ", "JWT") }},
	{name: "typ vp+jwt", problem: vc.ErrMalformedValue, cause: ErrType,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "typ", "vp+jwt") }},
	{name: "typ missing", problem: vc.ErrMalformedValue, cause: ErrType,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "typ", nil) }},
	{name: "crit", problem: vc.ErrMalformedValue, cause: ErrHeader,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "crit", []string{"exp"}) }},
	{name: "alg not a string", problem: vc.ErrMalformedValue, cause: ErrHeader,
		token: func(t *testing.T, f fixture) []byte {
			return forge(t, map[string]any{"alg": 1, "typ": "vc+jwt", "kid": f.issuer.kid("key-1")}, f.payload, nil, "", []byte("sig"))
		}},
	{name: "x5c not an array", problem: vc.ErrMalformedValue, cause: ErrHeader,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "x5c", "not an array") }},
	{name: "vc claim", problem: vc.ErrMalformedValue, cause: ErrClaims,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "vc", map[string]any{}) }},
	{name: "iss is not the issuer", problem: vc.ErrMalformedValue, cause: ErrClaims,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "iss", "did:example:other") }},
	{name: "iss header is not the issuer", problem: vc.ErrMalformedValue, cause: ErrClaims,
		token: func(t *testing.T, f fixture) []byte { return f.withHeader(t, "iss", "did:example:other") }},
	{name: "aud not naming the verifier", problem: vc.ErrCryptographicSecurity, cause: ErrAudience,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "aud", "https://elsewhere.example") }},
	{name: "exp passed", problem: vc.ErrRange, cause: vc.ErrExpired,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "exp", testNow.Unix()-1) }},
	{name: "exp not a number", problem: vc.ErrMalformedValue, cause: ErrClaims,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "exp", "tomorrow") }},
	{name: "nbf ahead", problem: vc.ErrRange, cause: vc.ErrNotYetValid,
		token: func(t *testing.T, f fixture) []byte { return f.withMember(t, "nbf", testNow.Unix()+60) }},
	{name: "credential expired", problem: vc.ErrRange, cause: vc.ErrExpired,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, f.payload) },
		opts:  func(o *VerifyOptions) { o.Now = time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC) }},
	{name: "credential not yet valid", problem: vc.ErrRange, cause: vc.ErrNotYetValid,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, f.payload) },
		opts:  func(o *VerifyOptions) { o.Now = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC) }},
	{name: "payload not a credential", problem: vc.ErrMalformedValue, cause: vc.ErrMalformedValue,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, []byte(`{"iss":"x"}`)) }},
	{name: "no resolver", problem: vc.ErrCryptographicSecurity, cause: ErrKeyResolution,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, f.payload) },
		opts:  func(o *VerifyOptions) { o.Resolver = nil }},
	{name: "too large", problem: vc.ErrParsing, cause: ErrMalformedJWS,
		token: func(t *testing.T, f fixture) []byte { return f.resign(t, f.header, f.payload) },
		opts:  func(o *VerifyOptions) { o.MaxBytes = 100 }},
	{name: "line break in signature", problem: vc.ErrParsing, cause: ErrMalformedJWS,
		token: func(t *testing.T, f fixture) []byte {
			tok := f.resign(t, f.header, f.payload)
			i := bytes.LastIndexByte(tok, '.') + 10
			return append(tok[:i:i], append([]byte("\n"), tok[i:]...)...)
		}},
	{name: "JWE shape", problem: vc.ErrParsing, cause: ErrMalformedJWS,
		token: func(t *testing.T, f fixture) []byte { return []byte("eyJhbGciOiJSU0EifQ.a.b.c.d") }},
	{name: "header not JSON", problem: vc.ErrParsing, cause: ErrMalformedJWS,
		token: func(t *testing.T, f fixture) []byte { return []byte(b64.EncodeToString([]byte("{alg")) + ".e30.c2ln") }},
	{name: "duplicate header member", problem: vc.ErrParsing, cause: ErrMalformedJWS,
		token: func(t *testing.T, f fixture) []byte {
			h := `{"alg":"EdDSA","typ":"vc+jwt","kid":"` + f.issuer.kid("key-1") + `","alg":"none"}`
			return []byte(b64.EncodeToString([]byte(h)) + "." + b64.EncodeToString(f.payload) + ".c2ln")
		}},
}

// TestVerifyCredentialRejects checks that each tampered or unacceptable token fails with its
// problem type and cause.
func TestVerifyCredentialRejects(t *testing.T) {
	f := newFixture(t)
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			opts := VerifyOptions{Resolver: resolverOf(f.issuer, f.other), Now: testNow}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			_, err := VerifyCredential(context.Background(), tc.token(t, f), opts)
			wantErr(t, err, tc.problem, tc.cause)
		})
	}
}

// TestVerifyCredentialAccepts covers the tolerated variations of a valid token.
func TestVerifyCredentialAccepts(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name  string
		token func(t *testing.T) []byte
		opts  func(o *VerifyOptions)
	}{
		{"typ with application/ prefix", func(t *testing.T) []byte { return f.withHeader(t, "typ", "application/VC+JWT") }, nil},
		{"cty vc", func(t *testing.T) []byte { return f.withHeader(t, "cty", "vc") }, nil},
		{"unknown header parameter ignored", func(t *testing.T) []byte { return f.withHeader(t, "jwk", map[string]any{"kty": "oct"}) }, nil},
		{"iss equal to issuer id", func(t *testing.T) []byte { return f.withMember(t, "iss", f.issuer.did) }, nil},
		{"aud naming the verifier", func(t *testing.T) []byte { return f.withMember(t, "aud", []any{"a", "https://verifier.example"}) },
			func(o *VerifyOptions) { o.Audience = "https://verifier.example" }},
		{"exp ahead", func(t *testing.T) []byte { return f.withMember(t, "exp", testNow.Unix()+1) }, nil},
		{"Multikey method with AnyKeyType", func(t *testing.T) []byte { return f.withHeader(t, "kid", f.issuer.kid("mk")) },
			func(o *VerifyOptions) { o.AnyKeyType = true }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := VerifyOptions{Resolver: resolverOf(f.issuer), Now: testNow}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			if _, err := VerifyCredential(context.Background(), tc.token(t), opts); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestJWKRestrictions checks that a JWK's use and alg members restrict the key.
func TestJWKRestrictions(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		use, alg string
		ok       bool
	}{{"sig", "EdDSA", true}, {"", "Ed25519", true}, {"enc", "", false}, {"", "ES256", false}} {
		jwk := *f.issuer.doc.VerificationMethod[0].PublicKeyJwk
		jwk.Use, jwk.Alg = tc.use, tc.alg
		doc := *f.issuer.doc
		doc.VerificationMethod = append([]did.VerificationMethod{did.NewJSONWebKeyMethod(f.issuer.kid("key-1"), f.issuer.did, &jwk)}, doc.VerificationMethod[1:]...)
		_, err := VerifyCredential(context.Background(), f.resign(t, f.header, f.payload),
			VerifyOptions{Resolver: resolver{f.issuer.did: &doc}, Now: testNow})
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, ErrKeyMismatch) {
			t.Errorf("use %q alg %q: err = %v", tc.use, tc.alg, err)
		}
	}
}

// TestErrorsKeepKeysOut checks that no error text quotes key material.
func TestErrorsKeepKeysOut(t *testing.T) {
	f := newFixture(t)
	x := f.issuer.doc.VerificationMethod[0].PublicKeyJwk.X
	for _, tc := range tamperCases {
		opts := VerifyOptions{Resolver: resolverOf(f.issuer, f.other), Now: testNow}
		if tc.opts != nil {
			tc.opts(&opts)
		}
		_, err := VerifyCredential(context.Background(), tc.token(t, f), opts)
		if err != nil && strings.Contains(err.Error(), x) {
			t.Errorf("%s: error quotes the key: %v", tc.name, err)
		}
	}
}
