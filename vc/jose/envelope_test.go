package jose

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// TestEnvelope checks the object Envelope builds, that the vc package reads it as an
// enveloped credential, and that Unenvelope gives the token back.
func TestEnvelope(t *testing.T) {
	jws := []byte("eyJhbGciOiJFZERTQSJ9.e30.c2ln")
	env := Envelope(jws)
	if env["@context"] != vc.ContextV2 || env["type"] != TypeEnvelopedCredential || env["id"] != "data:application/vc+jwt,"+string(jws) {
		t.Fatalf("Envelope = %v", env)
	}
	for _, tc := range []struct {
		obj  map[string]any
		want string
	}{{env, MediaTypeCredential}, {EnvelopePresentation(jws), MediaTypePresentation}} {
		mt, got, err := Unenvelope(tc.obj)
		if err != nil || mt != tc.want || string(got) != string(jws) {
			t.Errorf("Unenvelope(%v) = %q, %q, %v", tc.obj, mt, got, err)
		}
	}
}

// TestUnenvelopeForms accepts the data: URL forms RFC 2397 allows and rejects malformed
// envelopes.
func TestUnenvelopeForms(t *testing.T) {
	jws := "eyJhbGciOiJFZERTQSJ9.e30.c2ln"
	obj := func(ctx any, typ any, id string) map[string]any {
		return map[string]any{"@context": ctx, "type": typ, "id": id}
	}
	ok := []map[string]any{
		obj([]any{vc.ContextV2, "https://www.w3.org/ns/credentials/examples/v2"}, []any{TypeEnvelopedCredential}, "data:application/vc+jwt,"+jws),
		obj(vc.ContextV2, TypeEnvelopedCredential, "DATA:Application/VC+JWT;base64,"+base64.StdEncoding.EncodeToString([]byte(jws))),
		obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+jwt;charset=utf-8,"+jws),
	}
	for _, o := range ok {
		if mt, got, err := Unenvelope(o); err != nil || mt != MediaTypeCredential || string(got) != jws {
			t.Errorf("Unenvelope(%v) = %q, %q, %v", o, mt, got, err)
		}
	}
	bad := map[string]map[string]any{
		"no base context":         obj("https://example.org/context", TypeEnvelopedCredential, "data:application/vc+jwt,"+jws),
		"type for a presentation": obj(vc.ContextV2, TypeEnvelopedPresentation, "data:application/vc+jwt,"+jws),
		"no type":                 obj(vc.ContextV2, nil, "data:application/vc+jwt,"+jws),
		"https id":                obj(vc.ContextV2, TypeEnvelopedCredential, "https://example.org/vc"),
		"other media type":        obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+sd-jwt,"+jws),
		"no comma":                obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+jwt"),
		"bad base64":              obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+jwt;base64,***"),
		"bad escape":              obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+jwt,%zz"),
		"bad media type":          obj(vc.ContextV2, TypeEnvelopedCredential, "data:/,"+jws),
	}
	// An unsigned member beside the envelope's three could be read as the credential's.
	extra := obj(vc.ContextV2, TypeEnvelopedCredential, "data:application/vc+jwt,"+jws)
	extra["credentialSubject"] = map[string]any{"id": "did:example:forged"}
	bad["unsigned member"] = extra
	for name, o := range bad {
		if _, _, err := Unenvelope(o); !errors.Is(err, ErrEnvelope) || !errors.Is(err, vc.ErrMalformedValue) {
			t.Errorf("%s: err = %v, want ErrEnvelope", name, err)
		}
	}
}
