package jose

import (
	"context"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// opaqueSigner hides the key type behind crypto.Signer, as an HSM-backed signer does.
type opaqueSigner struct{ s crypto.Signer }

func (o opaqueSigner) Public() crypto.PublicKey { return o.s.Public() }
func (o opaqueSigner) Sign(r io.Reader, d []byte, op crypto.SignerOpts) ([]byte, error) {
	return o.s.Sign(r, d, op)
}

// failingSigner reports an error, as an unavailable HSM does.
type failingSigner struct{ crypto.Signer }

var errHSM = errors.New("token removed")

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) { return nil, errHSM }

// TestSignThroughOpaqueSigner signs with every algorithm through a signer that is not a
// concrete key type.
func TestSignThroughOpaqueSigner(t *testing.T) {
	for _, alg := range supported {
		t.Run(string(alg), func(t *testing.T) {
			issuer := newParty(t, "issuer", testSigner(t, alg))
			token, err := SignCredential(context.Background(), parseCredential(t, credentialJSON(issuer.did)), opaqueSigner{issuer.signer},
				SignOptions{KeyID: issuer.kid("key-1"), Algorithm: alg})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifyCredential(context.Background(), token, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSignCredentialErrors checks that SignCredential refuses what a verifier would reject.
func TestSignCredentialErrors(t *testing.T) {
	issuer := newParty(t, "issuer", testSigner(t, ES256))
	other := newParty(t, "other", testSigner(t, ES384))
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	withAud := credentialJSON(issuer.did)
	withAud = withAud[:len(withAud)-1] + `, "aud": "x"}`
	withVC := credentialJSON(issuer.did)
	withVC = withVC[:len(withVC)-1] + `, "vc": {}}`
	cases := []struct {
		name   string
		cred   string
		signer crypto.Signer
		opts   SignOptions
		want   error
	}{
		{"kid DID not the issuer", "", issuer.signer, SignOptions{KeyID: other.kid("key-1")}, ErrSigner},
		{"kid relative", "", issuer.signer, SignOptions{KeyID: "#key-1"}, ErrHeader},
		{"alg for another curve", "", issuer.signer, SignOptions{KeyID: issuer.kid("key-1"), Algorithm: ES384}, ErrKeyMismatch},
		{"alg HS256", "", issuer.signer, SignOptions{KeyID: issuer.kid("key-1"), Algorithm: "HS256"}, ErrAlgorithm},
		{"RSA 1024", "", small, SignOptions{KeyID: issuer.kid("key-1"), Algorithm: PS256}, ErrKeyMismatch},
		{"RSA 1024 default alg", "", small, SignOptions{KeyID: issuer.kid("key-1")}, ErrKeyMismatch},
		{"x5c of another key", "", issuer.signer, SignOptions{KeyID: issuer.kid("key-1"), X5C: []*x509.Certificate{selfSigned(t, other.signer)}}, ErrKeyMismatch},
		{"claim already a member", withAud, issuer.signer, SignOptions{KeyID: issuer.kid("key-1"), Audience: "y"}, ErrClaims},
		{"vc member", withVC, issuer.signer, SignOptions{KeyID: issuer.kid("key-1")}, ErrClaims},
		{"kid not authorized", "", issuer.signer, SignOptions{KeyID: issuer.kid("invoke"), Resolver: resolverOf(issuer)}, ErrNotAuthorized},
		{"kid holds another key", "", opaqueSigner{mustECDSA(t, elliptic.P256())}, SignOptions{KeyID: issuer.kid("key-1"), Resolver: resolverOf(issuer)}, ErrKeyMismatch},
		{"kid a Multikey", "", issuer.signer, SignOptions{KeyID: issuer.kid("mk"), Resolver: resolverOf(issuer)}, ErrKeyMismatch},
		{"signer fails", "", failingSigner{issuer.signer}, SignOptions{KeyID: issuer.kid("key-1")}, errHSM},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cred == "" {
				tc.cred = credentialJSON(issuer.did)
			}
			_, err := SignCredential(context.Background(), parseCredential(t, tc.cred), tc.signer, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestSignClaims checks that iat, exp, aud and nonce land in the payload and are enforced.
func TestSignClaims(t *testing.T) {
	issuer := newParty(t, "issuer", testSigner(t, EdDSA))
	token, err := SignCredential(context.Background(), parseCredential(t, credentialJSON(issuer.did)), issuer.signer, SignOptions{
		KeyID: issuer.kid("key-1"), IssuedAt: testNow, Expires: testNow.Add(time.Hour), Audience: "https://verifier.example", ContentType: "vc"})
	if err != nil {
		t.Fatal(err)
	}
	opts := VerifyOptions{Resolver: resolverOf(issuer), Now: testNow, Audience: "https://verifier.example"}
	got, err := VerifyCredential(context.Background(), token, opts)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"iat": "1780315200", "exp": "1780318800", "aud": "https://verifier.example"} {
		if v, _ := got.Credential.Get(name); v == nil || want != toString(v) {
			t.Errorf("%s = %v, want %s", name, v, want)
		}
	}
	if got.Header.ContentType != "vc" {
		t.Errorf("cty = %q", got.Header.ContentType)
	}
	opts.Now = testNow.Add(time.Hour)
	if _, err := VerifyCredential(context.Background(), token, opts); !errors.Is(err, vc.ErrExpired) {
		t.Errorf("at exp: err = %v", err)
	}
}

func toString(v any) string {
	if s, ok := v.(interface{ String() string }); ok {
		return s.String()
	}
	s, _ := v.(string)
	return s
}

// TestX5C checks that an x5c chain is written and read back and that its first certificate
// must hold the verification method's key.
func TestX5C(t *testing.T) {
	issuer := newParty(t, "issuer", testSigner(t, ES256))
	cred := parseCredential(t, credentialJSON(issuer.did))
	own := selfSigned(t, issuer.signer)
	signed, err := SignCredential(context.Background(), cred, issuer.signer, SignOptions{KeyID: issuer.kid("key-1"), X5C: []*x509.Certificate{own}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := VerifyCredential(context.Background(), signed, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow}); err != nil || !got.Header.X5C[0].Equal(own) {
		t.Fatalf("x5c not written or read back: %v", err)
	}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		want error
	}{{"matching", issuer.signer, nil}, {"other key", mustECDSA(t, elliptic.P256()), ErrKeyMismatch}} {
		t.Run(tc.name, func(t *testing.T) {
			cert := selfSigned(t, tc.key)
			header := Header{Algorithm: ES256, KeyID: issuer.kid("key-1"), Type: TypeCredential, X5C: []*x509.Certificate{cert}}
			h, err := header.marshal()
			if err != nil {
				t.Fatal(err)
			}
			payload, _ := cred.MarshalJSON()
			input := signingInput(h, payload, 64)
			sig, err := signInput(issuer.signer, ES256, input, nil)
			if err != nil {
				t.Fatal(err)
			}
			token := assemble(input, sig)
			got, err := VerifyCredential(context.Background(), token, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && !got.Header.X5C[0].Equal(cert) {
				t.Error("x5c not read back")
			}
		})
	}
}

func selfSigned(t *testing.T, key crypto.Signer) *x509.Certificate {
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "issuer"},
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// TestFixedWidthECDSA checks the R || S encoding against short R and S values and rejects
// malformed DER.
func TestFixedWidthECDSA(t *testing.T) {
	pub := &mustECDSA(t, elliptic.P384()).PublicKey
	// SEQUENCE { INTEGER 1, INTEGER 2 }
	got, err := fixedWidth([]byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, pub)
	if err != nil || len(got) != 96 || got[47] != 1 || got[95] != 2 {
		t.Fatalf("fixedWidth = %x, %v", got, err)
	}
	for _, der := range [][]byte{{0x30, 0x00}, {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00}, {0x02, 0x01, 0x01}} {
		if _, err := fixedWidth(der, pub); err == nil {
			t.Errorf("fixedWidth(%x) accepted", der)
		}
	}
	if verifyECDSA(pub, make([]byte, 48), make([]byte, 95)) {
		t.Error("verifyECDSA accepted a short signature")
	}
}

// TestDataModel11 checks that Data Model 1.1 documents are neither signed nor accepted: the
// 1.1 JWT encoding is a different format, with a vc claim.
func TestDataModel11(t *testing.T) {
	issuer := newParty(t, "issuer", testSigner(t, EdDSA))
	v1 := `{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
	  "issuer": "` + issuer.did + `", "issuanceDate": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:agent"}}`
	if _, err := SignCredential(context.Background(), parseCredential(t, v1), issuer.signer, SignOptions{KeyID: issuer.kid("key-1")}); !errors.Is(err, ErrDataModel) {
		t.Fatalf("SignCredential: err = %v, want ErrDataModel", err)
	}
	token := forge(t, map[string]any{"alg": "EdDSA", "typ": "vc+jwt", "kid": issuer.kid("key-1")}, []byte(v1), issuer.signer, EdDSA, nil)
	_, err := VerifyCredential(context.Background(), token, VerifyOptions{Resolver: resolverOf(issuer), Now: testNow})
	wantErr(t, err, vc.ErrMalformedValue, vc.ErrMalformedValue)
}
