package jose

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// FuzzVerifyCredential feeds arbitrary bytes to VerifyCredential: it must not panic, every
// failure must be a *vc.Error, and anything it accepts must be a token the fixture's issuer
// signed over a credential naming that issuer.
func FuzzVerifyCredential(f *testing.F) {
	issuer := newParty(f, "issuer", testSigner(f, EdDSA))
	good, err := SignCredential(context.Background(), parseCredential(f, credentialJSON(issuer.did)), issuer.signer, SignOptions{KeyID: issuer.kid("key-1")})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(flipSignature(good))
	f.Add([]byte("eyJhbGciOiJub25lIn0.e30."))
	f.Add([]byte("..."))
	f.Add([]byte("e30.e30.e30"))
	opts := VerifyOptions{Resolver: resolverOf(issuer), Now: testNow}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := VerifyCredential(context.Background(), data, opts)
		if err != nil {
			var e *vc.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *vc.Error: %v", err, err)
			}
			return
		}
		if got.Credential.Issuer().ID != issuer.did || got.Method.ID != issuer.kid("key-1") {
			t.Fatalf("accepted a token not from the issuer: %s", data)
		}
	})
}

// FuzzParseCompact checks that a parsed token's signing input is the input's prefix up to
// the last dot, and that re-encoding header, payload and signature gives back the input.
func FuzzParseCompact(f *testing.F) {
	f.Add([]byte("eyJhbGciOiJFZERTQSJ9.e30.c2ln"))
	f.Add([]byte("eyJhbGciOiJFZERTQSIsIngiOiIifQ.eyJhIjoxfQ."))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := parseCompact(data, DefaultMaxBytes)
		if err != nil {
			return
		}
		if !bytes.HasPrefix(data, tok.input) || !bytes.Equal(assemble(bytes.Clone(tok.input), tok.sig), data) {
			t.Fatalf("parse(%q) does not round-trip", data)
		}
		if tok.header.Algorithm == "" {
			t.Fatal("parsed a header without alg")
		}
	})
}

// FuzzUnenvelope checks that Unenvelope inverts Envelope for any compact-JWS-shaped text
// and never panics on other ids.
func FuzzUnenvelope(f *testing.F) {
	f.Add("eyJhbGciOiJFZERTQSJ9.e30.c2ln")
	f.Add("%2F,;base64")
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _ = Unenvelope(map[string]any{"@context": vc.ContextV2, "type": TypeEnvelopedCredential, "id": "data:application/vc+jwt," + s})
		if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
			return // not base64url text and dots, as a compact JWS is
		}
		mt, got, err := Unenvelope(Envelope([]byte(s)))
		if err != nil || mt != MediaTypeCredential || string(got) != s {
			t.Fatalf("Unenvelope(Envelope(%q)) = %q, %q, %v", s, mt, got, err)
		}
	})
}
