package issuer_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/jcs"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/dataintegrity"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/jose"
)

// TestIssueNumberRange: a number beyond the IEEE-754 double range is an invalid request
// (400, a malformed value at its pointer) whatever secures the credential, instead of an
// internal error of the RDFC cryptosuites' canonicalization; a tiny one, which rounds to
// zero, and ordinary ones are issued.
func TestIssueNumberRange(t *testing.T) {
	e := issuertest.New(t)
	formats := []struct {
		name     string
		instance string
		opts     issuer.IssueOptions
	}{
		{"eddsa-rdfc-2022", "main", issuer.IssueOptions{}},
		{"eddsa-jcs-2022", "main", issuer.IssueOptions{Cryptosuite: dataintegrity.EdDSAJCS2022}},
		{"ecdsa-rdfc-2019", "web", issuer.IssueOptions{}},
		{"ecdsa-jcs-2019", "web", issuer.IssueOptions{Cryptosuite: dataintegrity.ECDSAJCS2019}},
		{"vc+jwt", "main", issuer.IssueOptions{Format: issuer.FormatJWT}},
	}
	credential := func(number string) []byte {
		return []byte(fmt.Sprintf(`{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":"https://vocab.example/#"}],"type":["VerifiableCredential"],
			"credentialSubject":{"id":%q,"scores":[1,{"score":%s}]}}`, e.Agent, number))
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			for _, n := range []string{"1e400", "-1.5E+309", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792"} {
				_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Instance: f.instance,
					Credential: credential(n), Options: f.opts, Caller: e.Caller})
				var ve *vc.Error
				if !errors.Is(err, issuer.ErrInvalidRequest) || !errors.Is(err, jcs.ErrNumber) || !errors.As(err, &ve) {
					t.Fatalf("%s: %v, want an invalid request", n, err)
				}
				if p := ve.Problem(); p.Pointer != "/credentialSubject/scores/1/score" || p.Type != string(vc.MalformedValueError) {
					t.Errorf("%s: problem %+v", n, p)
				}
			}
			for _, n := range []string{"1e-400", "1.7976931348623157e308", "12.5"} {
				if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Instance: f.instance,
					Credential: credential(n), Options: f.opts, Caller: e.Caller}); err != nil {
					t.Errorf("%s: %v", n, err)
				}
			}
		})
	}
}

// renewingSigner is an issuer.MethodSigner whose methods a test changes, as a did:kakunin
// instance's change when its agent certificate is renewed.
type renewingSigner struct {
	ed25519.PrivateKey
	mu      sync.Mutex
	di, jwk string
	err     error
}

func (s *renewingSigner) VerificationMethod(_ context.Context, jose bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if jose {
		return s.jwk, s.err
	}
	return s.di, s.err
}

func (s *renewingSigner) set(di, jwk string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.di, s.jwk, s.err = di, jwk, err
}

// TestIssueMethodSigner: an instance whose Signer is a MethodSigner signs credentials and
// status lists with the method it names at signing time (a Multikey one for Data Integrity, a
// JsonWebKey one for vc+jwt), signs a list again when the method changed, and fails (not as
// an invalid request) when the signer names none or one outside the instance's DID.
func TestIssueMethodSigner(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	d, err := key.New(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := d.String()
	signer := &renewingSigner{PrivateKey: priv, di: id + "#cert-1-multikey", jwk: id + "#cert-1"}
	clock := issuertest.Start
	is, err := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: &issuertest.Resolver{},
		BaseURL: issuertest.BaseURL, Now: func() time.Time { return clock }},
		issuer.Instance{Name: "agent", DID: id, VerificationMethod: id + "#cert-0-multikey", Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	issue := func(format string) *issuer.Issued {
		t.Helper()
		out, err := is.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(id),
			Options: issuer.IssueOptions{Format: format}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	listMethod := func(out *issuer.Issued) string {
		t.Helper()
		s := out.Status[0]
		l, err := is.StatusListCredential(ctx, "agent", s.Purpose, s.ListID)
		if err != nil {
			t.Fatal(err)
		}
		return proofMethod(t, l.Body)
	}
	for _, gen := range []string{"1", "2"} {
		signer.set(id+"#cert-"+gen+"-multikey", id+"#cert-"+gen, nil)
		out := issue("")
		if got, want := proofMethod(t, out.VerifiableCredential), id+"#cert-"+gen+"-multikey"; got != want {
			t.Errorf("certificate %s: credential signed with %s, want %s", gen, got, want)
		}
		if got, want := listMethod(out), id+"#cert-"+gen+"-multikey"; got != want {
			t.Errorf("certificate %s: status list signed with %s, want %s", gen, got, want)
		}
		if got, want := jwtKeyID(t, issue(issuer.FormatJWT).VerifiableCredential), id+"#cert-"+gen; got != want {
			t.Errorf("certificate %s: vc+jwt kid %s, want %s", gen, got, want)
		}
	}
	for _, bad := range []struct {
		vm  string
		err error
	}{{"", did.ErrNotFound}, {"did:key:other#k", nil}} {
		signer.set(bad.vm, bad.vm, bad.err)
		_, err := is.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(id)})
		if err == nil || errors.Is(err, issuer.ErrInvalidRequest) {
			t.Errorf("method %q, error %v: issued with %v, want an internal error", bad.vm, bad.err, err)
		}
	}
}

func proofMethod(t *testing.T, raw []byte) string {
	t.Helper()
	var doc struct {
		Proof struct {
			VerificationMethod string `json:"verificationMethod"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Proof.VerificationMethod
}

func jwtKeyID(t *testing.T, raw []byte) string {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	_, jws, err := jose.Unenvelope(obj)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(jws), ".")
	b, err := base64.RawURLEncoding.DecodeString(header)
	var h struct {
		KeyID string `json:"kid"`
	}
	if err != nil || json.Unmarshal(b, &h) != nil {
		t.Fatalf("JWS header %q", header)
	}
	return h.KeyID
}
