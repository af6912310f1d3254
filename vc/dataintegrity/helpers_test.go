package dataintegrity

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-varint"

	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

// examplesV2 is the VC examples context (https://www.w3.org/ns/credentials/examples/v2,
// a single @vocab mapping) that the W3C vectors use; no npm package publishes it.
const (
	examplesV2URL = "https://www.w3.org/ns/credentials/examples/v2"
	examplesV2    = `{"@context":{"@vocab":"https://www.w3.org/ns/credentials/examples#"}}`
)

func testProcessor(tb testing.TB) *jsonld.Processor {
	tb.Helper()
	l, err := jsonld.NewLoader(map[string][]byte{examplesV2URL: []byte(examplesV2)})
	if err != nil {
		tb.Fatal(err)
	}
	return jsonld.NewProcessor(l, jsonld.Options{})
}

func readFile(tb testing.TB, path ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func readJSON(tb testing.TB, path ...string) map[string]any {
	tb.Helper()
	return decodeJSON(tb, readFile(tb, path...))
}

func decodeJSON(tb testing.TB, b []byte) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// keyPair reads a keyPair.json of the vectors: publicKeyMultibase and
// privateKeyMultibase or secretKeyMultibase (Multikey secret keys).
func keyPair(tb testing.TB, m map[string]any) crypto.Signer {
	tb.Helper()
	s, _ := m["privateKeyMultibase"].(string)
	if s == "" {
		s, _ = m["secretKeyMultibase"].(string)
	}
	return decodeSecretKey(tb, s)
}

func decodeSecretKey(tb testing.TB, s string) crypto.Signer {
	tb.Helper()
	_, b, err := multibase.Decode(s)
	if err != nil {
		tb.Fatal(err)
	}
	code, n, err := varint.FromUvarint(b)
	if err != nil {
		tb.Fatal(err)
	}
	raw := b[n:]
	var curve elliptic.Curve
	switch multicodec.Code(code) {
	case multicodec.Ed25519Priv:
		return ed25519.NewKeyFromSeed(raw)
	case multicodec.P256Priv:
		curve = elliptic.P256()
	case multicodec.P384Priv:
		curve = elliptic.P384()
	default:
		tb.Fatalf("unexpected secret key codec %#x", code)
	}
	k, err := ecdsa.ParseRawPrivateKey(curve, raw)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// optionsOf returns the proof options that produce proof p.
func optionsOf(tb testing.TB, p map[string]any, proc *jsonld.Processor) ProofOptions {
	tb.Helper()
	parsed, err := parseProof(p, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return ProofOptions{
		Cryptosuite:        parsed.Cryptosuite,
		VerificationMethod: parsed.VerificationMethod,
		ProofPurpose:       parsed.ProofPurpose,
		Created:            parsed.Created,
		Expires:            parsed.Expires,
		Domain:             parsed.Domain,
		Challenge:          parsed.Challenge,
		Nonce:              parsed.Nonce,
		ID:                 parsed.ID,
		PreviousProof:      parsed.PreviousProof,
		JSONLD:             proc,
	}
}

// opaqueSigner hides the concrete key type, as an HSM-backed signer does.
type opaqueSigner struct{ crypto.Signer }
