package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/status"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

var listNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// signerDID controls one Ed25519 key, published as a JsonWebKey ("#jwk", what VC-JOSE-COSE
// requires) and as a Multikey ("#mk"), both under assertionMethod.
type signerDID struct {
	id  string
	key ed25519.PrivateKey
	doc *did.Document
}

func newSignerDID(t testing.TB, name string) signerDID {
	t.Helper()
	seed := sha256.Sum256([]byte(name))
	key := ed25519.NewKeyFromSeed(seed[:])
	id := "did:example:" + name
	jwk, err := did.NewJWK(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	mk, err := did.NewMultikeyMethod(id+"#mk", id, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	doc := &did.Document{ID: id, VerificationMethod: []did.VerificationMethod{did.NewJSONWebKeyMethod(id+"#jwk", id, jwk), mk},
		AssertionMethod: []did.MethodRef{{Ref: id + "#jwk"}, {Ref: id + "#mk"}}}
	return signerDID{id: id, key: key, doc: doc}
}

type docResolver map[string]*did.Document

func (r docResolver) Resolve(_ context.Context, id string, _ did.ResolutionOptions) (*did.ResolutionResult, error) {
	if doc, ok := r[id]; ok {
		return &did.ResolutionResult{DIDDocument: doc}, nil
	}
	return nil, fmt.Errorf("%w: %s", did.ErrNotFound, id)
}

// listCase describes a status list served over HTTPS and how it is made.
type listCase struct {
	contentType []string // nil: no Content-Type
	issuer      signerDID
	signer      signerDID
	kid         string // fragment of the signer's method; "" is "jwk"
	dataInteg   bool   // secure with eddsa-jcs-2022 instead of vc+jwt
	revoked     bool   // set the credential's bit
	expires     time.Time
	tamper      bool
}

// serveList serves the list of lc at the returned URL.
func serveList(t *testing.T, lc listCase) (*httptest.Server, string) {
	t.Helper()
	var (
		mu   sync.Mutex
		body []byte
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header()["Content-Type"] = lc.contentType
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/status/1"
	signed := signList(t, lc, url)
	mu.Lock()
	body = signed
	mu.Unlock()
	return srv, url
}

func signList(t *testing.T, lc listCase, url string) []byte {
	t.Helper()
	bits, err := status.New(status.MinBits)
	if err != nil {
		t.Fatal(err)
	}
	if lc.revoked {
		if err := bits.Set(7, 1, 1); err != nil {
			t.Fatal(err)
		}
	}
	list, err := status.NewListCredential(status.ListParams{ID: url, Issuer: lc.issuer.id,
		Purposes: []status.Purpose{status.Revocation}, ValidFrom: listNow.Add(-time.Hour)}, bits)
	if err != nil {
		t.Fatal(err)
	}
	kid := lc.kid
	if kid == "" {
		kid = "jwk"
	}
	var out []byte
	if lc.dataInteg {
		out, err = dataintegrity.AddProof(mustJSON(t, list.Document()), lc.signer.key, dataintegrity.ProofOptions{
			Cryptosuite: dataintegrity.EdDSAJCS2022, VerificationMethod: lc.signer.id + "#mk", Expires: lc.expires})
	} else if lc.signer.id != lc.issuer.id {
		out = compactJWS(t, lc.signer, lc.signer.id+"#"+kid, mustJSON(t, list.Document()))
	} else {
		out, err = jose.SignCredential(context.Background(), list, lc.signer.key,
			jose.SignOptions{KeyID: lc.signer.id + "#" + kid, Expires: lc.expires})
	}
	if err != nil {
		t.Fatal(err)
	}
	if lc.tamper && lc.dataInteg {
		out = bytes.Replace(out, []byte("#list"), []byte("#lisT"), 1) // the subject's id
	} else if lc.tamper {
		// inside the signature, another base64url character (flipping a bit could make an
		// invalid one, a parsing error rather than a forged signature)
		if i := len(out) - 10; out[i] == 'A' {
			out[i] = 'B'
		} else {
			out[i] = 'A'
		}
	}
	return out
}

// compactJWS signs payload as a vc+jwt with kid, which jose.SignCredential refuses to do when
// kid is not the issuer's.
func compactJWS(t *testing.T, signer signerDID, kid string, payload []byte) []byte {
	t.Helper()
	enc := base64.RawURLEncoding
	header := mustJSON(t, map[string]any{"alg": "EdDSA", "typ": "vc+jwt", "kid": kid})
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	return []byte(input + "." + enc.EncodeToString(ed25519.Sign(signer.key, []byte(input))))
}

// statusCredential is a credential of issuer, secured with eddsa-jcs-2022, whose index 7 in
// the revocation list at url holds its status.
func statusCredential(t *testing.T, issuer signerDID, url string) []byte {
	t.Helper()
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer.id,
		"validFrom":         "2026-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:agent"},
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "7", "statusListCredential": url},
	}
	out, err := dataintegrity.AddProof(mustJSON(t, doc), issuer.key, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.EdDSAJCS2022, VerificationMethod: issuer.id + "#mk"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStatusListFormats checks credentials against lists served over HTTPS as vc+jwt or
// with Data Integrity proofs, under the same trust rules.
func TestStatusListFormats(t *testing.T) {
	issuer, other := newSignerDID(t, "issuer"), newSignerDID(t, "other")
	jwt, vcType, none := []string{"application/vc+jwt"}, []string{"application/vc"}, []string(nil)
	tests := []struct {
		name string
		lc   listCase
		cfg  func(*verifier.Config)
		want []error // nil: verified
	}{
		{"vc+jwt", listCase{contentType: jwt, issuer: issuer, signer: issuer}, nil, nil},
		{"vc+jwt with parameters", listCase{contentType: []string{"application/vc+jwt; charset=utf-8"}, issuer: issuer, signer: issuer}, nil, nil},
		{"vc+jwt revoked", listCase{contentType: jwt, issuer: issuer, signer: issuer, revoked: true}, nil, []error{verifier.ErrRevoked}},
		{"vc+jwt without Content-Type", listCase{contentType: none, issuer: issuer, signer: issuer}, nil, nil},
		{"vc+jwt whose exp is ahead", listCase{contentType: jwt, issuer: issuer, signer: issuer, expires: listNow.Add(time.Hour)}, nil, nil},
		{"Data Integrity", listCase{contentType: vcType, issuer: issuer, signer: issuer, dataInteg: true}, nil, nil},
		{"Data Integrity revoked", listCase{contentType: []string{"application/ld+json"}, issuer: issuer, signer: issuer, dataInteg: true, revoked: true}, nil, []error{verifier.ErrRevoked}},
		{"Data Integrity without Content-Type", listCase{contentType: none, issuer: issuer, signer: issuer, dataInteg: true}, nil, nil},

		{"vc+jwt served as application/vc", listCase{contentType: vcType, issuer: issuer, signer: issuer}, nil, []error{status.ErrVerification}},
		{"Data Integrity served as vc+jwt", listCase{contentType: jwt, issuer: issuer, signer: issuer, dataInteg: true}, nil, []error{status.ErrVerification, jose.ErrMalformedJWS}},
		{"vc+jwt signed by another DID", listCase{contentType: jwt, issuer: issuer, signer: other}, nil, []error{status.ErrVerification, jose.ErrSigner}},
		{"Data Integrity signed by another DID", listCase{contentType: vcType, issuer: issuer, signer: other, dataInteg: true}, nil, []error{status.ErrVerification, verifier.ErrIssuerMismatch}},
		{"vc+jwt of another issuer", listCase{contentType: jwt, issuer: other, signer: other}, nil, []error{status.ErrVerification, status.ErrIssuerMismatch}},
		{"Data Integrity of another issuer", listCase{contentType: vcType, issuer: other, signer: other, dataInteg: true}, nil, []error{status.ErrVerification, status.ErrIssuerMismatch}},
		{"vc+jwt forged", listCase{contentType: jwt, issuer: issuer, signer: issuer, tamper: true}, nil, []error{status.ErrVerification, jose.ErrSignature}},
		{"Data Integrity forged", listCase{contentType: vcType, issuer: issuer, signer: issuer, dataInteg: true, tamper: true}, nil, []error{status.ErrVerification, dataintegrity.ErrInvalidSignature}},
		{"vc+jwt expired exp", listCase{contentType: jwt, issuer: issuer, signer: issuer, expires: listNow.Add(-time.Second)}, nil, []error{status.ErrVerification}},
		{"vc+jwt algorithm not allowed", listCase{contentType: jwt, issuer: issuer, signer: issuer},
			func(c *verifier.Config) { c.JOSE = []jose.Algorithm{jose.ES256} }, []error{status.ErrVerification, jose.ErrAlgorithm}},
		{"vc+jwt by a Multikey", listCase{contentType: jwt, issuer: issuer, signer: issuer, kid: "mk"}, nil, []error{status.ErrVerification, jose.ErrKeyMismatch}},
		{"vc+jwt by a Multikey, allowed", listCase{contentType: jwt, issuer: issuer, signer: issuer, kid: "mk"},
			func(c *verifier.Config) { c.JOSEAnyKeyType = true }, nil},
		{"served as text/html", listCase{contentType: []string{"text/html"}, issuer: issuer, signer: issuer}, nil, []error{status.ErrRetrieval, status.ErrMediaType}},
		{"larger than the cap", listCase{contentType: jwt, issuer: issuer, signer: issuer},
			func(c *verifier.Config) { c.Status.(*status.HTTPFetcher).MaxBytes = 256 }, []error{status.ErrRetrieval, status.ErrResponseTooLarge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, url := serveList(t, tt.lc)
			cfg := verifier.Config{Resolver: docResolver{issuer.id: issuer.doc, other.id: other.doc},
				Status: &status.HTTPFetcher{Client: srv.Client(), AllowPrivate: true}, StatusOptions: status.Options{CacheBytes: -1},
				Now: func() time.Time { return listNow }}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			v, err := verifier.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r, err := v.VerifyCredential(context.Background(), statusCredential(t, issuer, url), verifier.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := failed(r)
			if tt.want == nil {
				if !r.Verified || len(r.Status) != 1 {
					t.Fatalf("not verified: %v", got)
				}
				return
			}
			if r.Verified || len(got) != 1 {
				t.Fatalf("failed checks %v, want status only", got)
			}
			for _, w := range tt.want {
				if !errors.Is(got[verifier.CheckStatus], w) {
					t.Errorf("status: %v, want %v", got[verifier.CheckStatus], w)
				}
			}
		})
	}
}

// TestCachedListExpires: a cached list is not used past the expiry of its proof (a vc+jwt's
// exp, a Data Integrity proof's expires), even within its cache ttl; fetched again, it no
// longer verifies.
func TestCachedListExpires(t *testing.T) {
	issuer := newSignerDID(t, "issuer")
	for _, dataInteg := range []bool{false, true} {
		t.Run(fmt.Sprintf("Data Integrity %v", dataInteg), func(t *testing.T) {
			srv, url := serveList(t, listCase{issuer: issuer, signer: issuer, dataInteg: dataInteg, expires: listNow.Add(time.Minute)})
			var mu sync.Mutex
			now := listNow
			v, err := verifier.New(verifier.Config{Resolver: docResolver{issuer.id: issuer.doc},
				Status: &status.HTTPFetcher{Client: srv.Client(), AllowPrivate: true}, StatusOptions: status.Options{CacheTTL: time.Hour},
				Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
			if err != nil {
				t.Fatal(err)
			}
			cred := statusCredential(t, issuer, url)
			for _, step := range []struct {
				at   time.Duration
				want error
			}{{0, nil}, {59 * time.Second, nil}, {time.Minute, status.ErrVerification}} {
				mu.Lock()
				now = listNow.Add(step.at)
				mu.Unlock()
				r, err := v.VerifyCredential(context.Background(), cred, verifier.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got := failed(r)[verifier.CheckStatus]; !errors.Is(got, step.want) || step.want == nil && got != nil {
					t.Fatalf("at +%s: status %v, want %v", step.at, got, step.want)
				}
			}
		})
	}
}
