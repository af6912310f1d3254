package jose

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// vpFixture is an issuer of two vc+jwt credentials and a holder presenting them.
type vpFixture struct {
	issuer, holder party
	creds          [][]byte
	resolver       resolver
}

func newVPFixture(t *testing.T) vpFixture {
	issuer := newParty(t, "issuer", testSigner(t, EdDSA))
	holder := newParty(t, "holder", testSigner(t, ES256))
	f := vpFixture{issuer: issuer, holder: holder, resolver: resolverOf(issuer, holder)}
	for _, alg := range []Algorithm{EdDSA, Ed25519} {
		tok, err := SignCredential(context.Background(), parseCredential(t, credentialJSON(issuer.did)), issuer.signer,
			SignOptions{KeyID: issuer.kid("key-1"), Algorithm: alg})
		if err != nil {
			t.Fatal(err)
		}
		f.creds = append(f.creds, tok)
	}
	return f
}

// presentation returns a VP document holding creds as enveloped credentials, plus extra
// entries.
func presentationJSON(t *testing.T, holder string, creds [][]byte, extra ...any) []byte {
	var list []any
	for _, c := range creds {
		list = append(list, Envelope(c))
	}
	m := map[string]any{
		"@context":             []any{vc.ContextV2},
		"type":                 "VerifiablePresentation",
		"verifiableCredential": append(list, extra...),
	}
	if holder != "" {
		m["holder"] = holder
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f vpFixture) sign(t *testing.T, doc []byte, opts SignOptions) []byte {
	p, err := vc.ParsePresentation(doc, vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if opts.KeyID == "" {
		opts.KeyID = f.holder.kid("key-1")
	}
	tok, err := SignPresentation(context.Background(), p, f.holder.signer, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestPresentationRoundTrip signs a vp+jwt bound to an audience and nonce and verifies it
// and both credentials inside.
func TestPresentationRoundTrip(t *testing.T) {
	f := newVPFixture(t)
	for _, holder := range []string{f.holder.did, ""} {
		tok := f.sign(t, presentationJSON(t, holder, f.creds), SignOptions{Audience: "https://verifier.example", Nonce: "n-0S6_WzA2Mj", Resolver: f.resolver})
		got, err := VerifyPresentation(context.Background(), tok, VerifyOptions{Resolver: f.resolver, Now: testNow,
			Audience: "https://verifier.example", Nonce: "n-0S6_WzA2Mj"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Signer != f.holder.did || got.Header.Type != TypePresentation || len(got.Credentials) != 2 {
			t.Fatalf("got signer %s, header %+v, %d credentials", got.Signer, got.Header, len(got.Credentials))
		}
		if got.Credentials[1].Header.Algorithm != Ed25519 || got.Credentials[0].Credential.Issuer().ID != f.issuer.did {
			t.Errorf("credentials = %+v", got.Credentials)
		}
	}
}

// TestVerifyPresentationRejects checks binding, signer and credential failures.
func TestVerifyPresentationRejects(t *testing.T) {
	f := newVPFixture(t)
	good := presentationJSON(t, f.holder.did, f.creds)
	bound := SignOptions{Audience: "https://verifier.example", Nonce: "abc"}
	tampered := flipSignature(f.creds[1])
	expired, err := SignCredential(context.Background(), parseCredential(t, credentialJSON(f.issuer.did)), f.issuer.signer,
		SignOptions{KeyID: f.issuer.kid("key-1"), Expires: testNow})
	if err != nil {
		t.Fatal(err)
	}
	sdJWT := map[string]any{"@context": vc.ContextV2, "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+sd-jwt," + string(f.creds[0]) + "~"}
	embedded := map[string]any{"@context": vc.ContextV2, "type": "VerifiableCredential", "issuer": f.issuer.did, "credentialSubject": map[string]any{"id": "did:example:x"}}
	cases := []struct {
		name          string
		token         func(t *testing.T) []byte
		opts          func(o *VerifyOptions)
		problem, want error
		path          string
	}{
		{name: "wrong audience", token: func(t *testing.T) []byte { return f.sign(t, good, bound) },
			opts: func(o *VerifyOptions) { o.Audience = "https://other.example" }, problem: vc.ErrCryptographicSecurity, want: ErrAudience},
		{name: "audience missing", token: func(t *testing.T) []byte { return f.sign(t, good, SignOptions{Nonce: "abc"}) },
			problem: vc.ErrCryptographicSecurity, want: ErrAudience},
		{name: "wrong nonce", token: func(t *testing.T) []byte {
			return f.sign(t, good, SignOptions{Audience: "https://verifier.example", Nonce: "old"})
		},
			problem: vc.ErrCryptographicSecurity, want: ErrNonce},
		{name: "typ vc+jwt", token: func(t *testing.T) []byte {
			return forge(t, map[string]any{"alg": "ES256", "typ": "vc+jwt", "kid": f.holder.kid("key-1")}, good, f.holder.signer, ES256, nil)
		}, problem: vc.ErrMalformedValue, want: ErrType},
		{name: "kid DID is not the holder", token: func(t *testing.T) []byte {
			return forge(t, map[string]any{"alg": "EdDSA", "typ": "vp+jwt", "kid": f.issuer.kid("key-1"), "aud": "x"}, withBinding(t, good), f.issuer.signer, EdDSA, nil)
		}, problem: vc.ErrCryptographicSecurity, want: ErrSigner},
		{name: "kid not under authentication", token: func(t *testing.T) []byte {
			return forge(t, map[string]any{"alg": "ES256", "typ": "vp+jwt", "kid": f.holder.kid("invoke")}, withBinding(t, good), f.holder.signer, ES256, nil)
		}, problem: vc.ErrCryptographicSecurity, want: ErrNotAuthorized},
		{name: "tampered credential", token: func(t *testing.T) []byte {
			return f.sign(t, presentationJSON(t, f.holder.did, [][]byte{f.creds[0], tampered}), bound)
		}, problem: vc.ErrCryptographicSecurity, want: ErrSignature, path: "/verifiableCredential/1"},
		{name: "expired credential", token: func(t *testing.T) []byte {
			return f.sign(t, presentationJSON(t, f.holder.did, [][]byte{expired}), bound)
		}, problem: vc.ErrRange, want: vc.ErrExpired, path: "/verifiableCredential/0"},
		{name: "embedded credential", token: func(t *testing.T) []byte {
			return forge(t, map[string]any{"alg": "ES256", "typ": "vp+jwt", "kid": f.holder.kid("key-1")},
				withBinding(t, presentationJSON(t, f.holder.did, f.creds, embedded)), f.holder.signer, ES256, nil)
		}, problem: vc.ErrMalformedValue, want: ErrUnsecuredCredential, path: "/verifiableCredential/2"},
		{name: "vc+sd-jwt credential", token: func(t *testing.T) []byte {
			return f.sign(t, presentationJSON(t, f.holder.did, nil, sdJWT), bound)
		}, problem: vc.ErrMalformedValue, want: ErrUnsecuredCredential, path: "/verifiableCredential/0"},
		{name: "too many credentials", token: func(t *testing.T) []byte { return f.sign(t, good, bound) },
			opts: func(o *VerifyOptions) { o.MaxCredentials = 1 }, problem: vc.ErrRange, want: vc.ErrRange, path: "/verifiableCredential"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := VerifyOptions{Resolver: f.resolver, Now: testNow, Audience: "https://verifier.example", Nonce: "abc"}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			_, err := VerifyPresentation(context.Background(), tc.token(t), opts)
			wantErr(t, err, tc.problem, tc.want)
			var e *vc.Error
			if errors.As(err, &e) && e.Path != tc.path {
				t.Errorf("path = %q, want %q", e.Path, tc.path)
			}
		})
	}
}

// withBinding adds the aud and nonce the rejection tests' verifier expects.
func withBinding(t *testing.T, doc []byte) []byte {
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	m["aud"], m["nonce"] = "https://verifier.example", "abc"
	out, _ := json.Marshal(m)
	return out
}

// TestSignPresentationErrors checks that SignPresentation refuses unsecured credentials and
// a kid that is not the holder's.
func TestSignPresentationErrors(t *testing.T) {
	f := newVPFixture(t)
	embedded := map[string]any{"@context": vc.ContextV2, "type": "VerifiableCredential", "issuer": f.issuer.did, "credentialSubject": map[string]any{"id": "did:example:x"}}
	for _, tc := range []struct {
		name string
		doc  []byte
		kid  string
		want error
	}{
		{"embedded credential", presentationJSON(t, f.holder.did, f.creds, embedded), f.holder.kid("key-1"), ErrUnsecuredCredential},
		{"kid of another DID", presentationJSON(t, f.holder.did, f.creds), f.issuer.kid("key-1"), ErrSigner},
		{"kid not under authentication", presentationJSON(t, f.holder.did, f.creds), f.holder.kid("invoke"), ErrNotAuthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := vc.ParsePresentation(tc.doc, vc.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = SignPresentation(context.Background(), p, f.holder.signer, SignOptions{KeyID: tc.kid, Resolver: f.resolver})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
