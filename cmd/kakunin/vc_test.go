package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// runVCWith runs `kakunin vc args…` with KAKUNIN_TOKEN set to token.
func runVCWith(token string, args ...string) (stdout, stderr string, err error) {
	var out, errOut strings.Builder
	env := &cliEnv{stdout: &out, stderr: &errOut, getenv: func(k string) string {
		if k == "KAKUNIN_TOKEN" {
			return token
		}
		return ""
	}}
	err = runVC(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

var issuedRE = regexp.MustCompile(`issued (\S+)`)

// TestVCEndToEnd issues a scope credential to the demo agent through a served
// instance (Data Integrity and vc+jwt), verifies it, revokes it with
// `vc status` and sees `vc verify` fail with errNotVerified (exit code 1).
func TestVCEndToEnd(t *testing.T) {
	dir := t.TempDir()
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--db", filepath.Join(dir, "kakunin.db"))
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if in.did == "" || m == nil {
		t.Fatalf("no demo DID or admin token in:\n%s", in.out)
	}
	admin := m[1]
	grants := filepath.Join(dir, "grants.json")
	writeFile(t, grants, `[{"actions":["payments:create"],"limits":{"maxAmount":{"value":"250.00","currency":"EUR"}}}]`)
	issue := []string{"issue", "--server", in.base, "--scope", grants, "--subject", in.did, "--delegator", "did:web:acme.example", "--validity", "1h"}

	if _, _, err := runVCWith("", issue...); !isProblem(err, http.StatusUnauthorized) {
		t.Fatalf("issue without a token: %v, want a 401 problem", err)
	}
	for _, format := range []string{"", "vc+jwt"} {
		t.Run("format="+format, func(t *testing.T) {
			out := filepath.Join(dir, "vc"+format+".json")
			args := append(issue, "--out", out)
			if format != "" {
				args = append(args, "--format", format)
			}
			stdout, _, err := runVCWith(admin, args...)
			id := issuedRE.FindStringSubmatch(stdout)
			if err != nil || id == nil {
				t.Fatalf("issue: %v\n%s", err, stdout)
			}
			stdout, _, err = runVCWith("", "verify", "--server", in.base, out)
			// A Data Integrity proof is one of the checks; a vc+jwt's signature is not listed.
			// The subject, the demo agent, is checked as every did:kakunin subject.
			if err != nil || !strings.HasPrefix(stdout, "verified: true\n") || strings.Contains(stdout, "ok   proof") != (format == "") ||
				!strings.Contains(stdout, "\n  ok   credentialSubject "+in.did+"\n") {
				t.Fatalf("verify fresh credential: %v\n%s", err, stdout)
			}
			if _, _, err := runVCWith(admin, "status", "--server", in.base, "--id", id[1], "--purpose", "revocation", "--set"); err != nil {
				t.Fatalf("status: %v", err)
			}
			stdout, _, err = runVCWith("", "verify", "--server", in.base, out)
			if !errors.Is(err, errNotVerified) || !strings.HasPrefix(stdout, "verified: false\n") || !strings.Contains(stdout, "FAIL credentialStatus") || !strings.Contains(stdout, "problem: ") {
				t.Fatalf("verify revoked credential: %v\n%s", err, stdout)
			}
			stdout, _, err = runVCWith("", "verify", "--json", "--server", in.base, out)
			var res vcResult
			if jerr := json.Unmarshal([]byte(stdout), &res); !errors.Is(err, errNotVerified) || jerr != nil || res.Verified ||
				res.Results == nil || len(res.Results.CredentialSubject) != 1 || !res.Results.CredentialSubject[0].Verified ||
				string(res.Results.CredentialSubject[0].Input) != `"`+in.did+`"` {
				t.Errorf("verify --json: %v %v\n%s", err, jerr, stdout)
			}
		})
	}
	_, _, err := runVCWith(admin, "status", "--server", in.base, "--id", "urn:uuid:00000000-0000-4000-8000-000000000000", "--purpose", "suspension", "--set")
	if !isProblem(err, http.StatusNotFound) {
		t.Errorf("status of an unknown credential: %v, want a 404 problem", err)
	}
}

func isProblem(err error, status int) bool {
	var p *problemError
	return errors.As(err, &p) && p.Status == status
}

func TestVCUsage(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.json")
	writeFile(t, file, `{}`)
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"revoke"}},
		{"issue nothing", []string{"issue"}},
		{"issue two kinds", []string{"issue", "--scope", file, "--compliance", file, "--subject", "did:x:y"}},
		{"scope without subject", []string{"issue", "--scope", file}},
		{"credential with subject", []string{"issue", "--credential", file, "--subject", "did:x:y"}},
		{"delegator without scope", []string{"issue", "--compliance", file, "--subject", "did:x:y", "--delegator", "did:x:z"}},
		{"unknown format", []string{"issue", "--credential", file, "--format", "jwt"}},
		{"format and cryptosuite", []string{"issue", "--credential", file, "--format", "vc+jwt", "--cryptosuite", "eddsa-rdfc-2022"}},
		{"fractional validity", []string{"issue", "--scope", file, "--subject", "did:x:y", "--validity", "1.5s"}},
		{"issue argument", []string{"issue", "--credential", file, "extra"}},
		{"bad server", []string{"issue", "--credential", file, "--server", "ftp://x"}},
		{"zero timeout", []string{"verify", "--timeout", "0s", file}},
		{"verify no file", []string{"verify"}},
		{"verify two files", []string{"verify", file, file}},
		{"status no id", []string{"status", "--purpose", "revocation", "--set"}},
		{"status bad purpose", []string{"status", "--id", "x", "--purpose", "refresh", "--set"}},
		{"status set and clear", []string{"status", "--id", "x", "--purpose", "revocation", "--set", "--clear"}},
		{"status neither", []string{"status", "--id", "x", "--purpose", "revocation"}},
		{"unknown flag", []string{"verify", "--bogus", file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ue usageError
			if _, _, err := runVCWith("", tt.args...); !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

// TestVCClient checks the bounded client against a fake service: problem
// details are reported, redirects not followed, large answers refused.
func TestVCClient(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/credentials/status", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer kak_t" {
			t.Errorf("Authorization %q", r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte(`{"type":"about:blank","title":"Conflict","status":409,"detail":"already revoked"}`))
	})
	mux.HandleFunc("/credentials/verify", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/presentations/verify", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"verified":true,"pad":"` + strings.Repeat("a", maxVCAnswer) + `"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "vp.json")
	writeFile(t, file, `{"type":["VerifiablePresentation"]}`)

	_, _, err := runVCWith("kak_t", "status", "--server", srv.URL, "--id", "x", "--purpose", "revocation", "--set")
	var p *problemError
	if !errors.As(err, &p) || p.Status != http.StatusConflict || p.Detail != "already revoked" ||
		err.Error() != "/credentials/status: 409 Conflict: already revoked" {
		t.Errorf("problem: %v", err)
	}
	vcFile := filepath.Join(t.TempDir(), "vc.json")
	writeFile(t, vcFile, `{"type":"VerifiableCredential"}`)
	if _, _, err := runVCWith("", "verify", "--server", srv.URL, vcFile); !isProblem(err, http.StatusTemporaryRedirect) {
		t.Errorf("redirect: %v, want it reported, not followed", err)
	}
	if _, _, err := runVCWith("", "verify", "--server", srv.URL, file); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("large answer: %v", err)
	}
}

// TestVCVerifyPrint prints each check of a fake service's VerificationResult, the subject
// DID check and a presentation's challenge, domain and holder included, or with --json the
// answer as it came; the presentation's challenge and domain are sent as options.
func TestVCVerifyPrint(t *testing.T) {
	const proof = `{"verified":true,"input":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022"}}`
	credential := `{"verified":false,"problemDetails":[{"type":"x","title":"SUBJECT_INACTIVE","detail":"no valid certificate"}],` +
		`"results":{"proof":[` + proof + `],"credentialSchema":[],"credentialStatus":[],` +
		`"credentialSubject":[{"verified":true,"input":"did:kakunin:a"},{"verified":false,"input":"did:kakunin:b"}]}}`
	presentation := `{"verified":false,"results":{"presentation":{"challenge":{"verified":true,"input":"c-1"},` +
		`"domain":{"verified":false,"input":"rp.example"},"holder":{"verified":true,"input":"did:kakunin:h"},` +
		`"proof":[` + proof + `]},"credentials":[` + credential + `]}}`
	var options map[string]any
	mux := http.NewServeMux()
	answer := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var req struct{ Options map[string]any }
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
				t.Errorf("request: %v", err)
			}
			options = req.Options
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("/credentials/verify", answer(credential))
	mux.HandleFunc("/presentations/verify", answer(presentation))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	vcFile, vpFile := filepath.Join(dir, "vc.json"), filepath.Join(dir, "vp.json")
	writeFile(t, vcFile, `{"type":["VerifiableCredential"]}`)
	writeFile(t, vpFile, `{"type":["VerifiablePresentation"]}`)
	credentialLines := func(indent string) string {
		return indent + "ok   proof DataIntegrityProof eddsa-rdfc-2022\n" +
			indent + "ok   credentialSubject did:kakunin:a\n" +
			indent + "FAIL credentialSubject did:kakunin:b\n" +
			indent + "problem: SUBJECT_INACTIVE: no valid certificate\n"
	}
	tests := []struct {
		name        string
		args        []string
		want        string
		wantOptions map[string]any
	}{
		{"credential", []string{vcFile}, "verified: false\n" + credentialLines("  "), map[string]any{"returnResults": true}},
		{"credential --json", []string{"--json", vcFile}, credential + "\n", map[string]any{"returnResults": true}},
		{"presentation", []string{"--challenge", "c-1", "--domain", "rp.example", vpFile}, "verified: false\n" +
			"  ok   presentation proof DataIntegrityProof eddsa-rdfc-2022\n" +
			"  ok   challenge c-1\n" +
			"  FAIL domain rp.example\n" +
			"  ok   holder did:kakunin:h\n" +
			"  credential 1 verified: false\n" + credentialLines("    "), map[string]any{"challenge": "c-1", "domain": "rp.example"}},
		{"presentation --json", []string{"--json", vpFile}, presentation + "\n", map[string]any{"challenge": "", "domain": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runVCWith("", append([]string{"verify", "--server", srv.URL}, tt.args...)...)
			if !errors.Is(err, errNotVerified) || stdout != tt.want {
				t.Errorf("%v\ngot:\n%s\nwant:\n%s", err, stdout, tt.want)
			}
			if !reflect.DeepEqual(options, tt.wantOptions) {
				t.Errorf("options sent %v, want %v", options, tt.wantOptions)
			}
		})
	}
}

func jws(header string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + ".e30.c2ln"
}

func TestVerifyInput(t *testing.T) {
	tests := []struct {
		name, in     string
		presentation bool
		wantID       string // the id of the object sent, for a wrapped JWS
		err          bool
	}{
		{"credential", `{"type":["VerifiableCredential"]}`, false, "", false},
		{"presentation", ` {"type":["VerifiablePresentation"]}`, true, "", false},
		{"enveloped presentation", `{"type":"EnvelopedVerifiablePresentation"}`, true, "", false},
		{"vc+jwt", jws(`{"typ":"vc+jwt"}`), false, "data:application/vc+jwt," + jws(`{"typ":"vc+jwt"}`), false},
		{"vp+jwt", jws(`{"typ":"vp+jwt"}`) + "\n", true, "data:application/vp+jwt," + jws(`{"typ":"vp+jwt"}`), false},
		{"broken JSON", `{"type":`, false, "", true},
		{"not a JWS", `hello`, false, "", true},
		{"JWS header not JSON", "bm9wZQ.e30.c2ln", false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, pres, err := verifyInput([]byte(tt.in))
			if (err != nil) != tt.err || pres != tt.presentation {
				t.Fatalf("verifyInput = %t, %v", pres, err)
			}
			var o struct{ ID string }
			if tt.wantID != "" && (json.Unmarshal(doc, &o) != nil || o.ID != tt.wantID) {
				t.Errorf("sent %s, want id %s", doc, tt.wantID)
			}
		})
	}
}

// FuzzVerifyInput: no panics, and a JSON object is sent as it was read.
func FuzzVerifyInput(f *testing.F) {
	f.Add([]byte(`{"type":["VerifiablePresentation"]}`))
	f.Add([]byte(jws(`{"typ":"vp+jwt"}`)))
	f.Add([]byte(`..`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _, err := verifyInput(data)
		if err == nil && !json.Valid(doc) {
			t.Fatalf("invalid JSON sent: %q", doc)
		}
		if trimmed := strings.TrimSpace(string(data)); err == nil && strings.HasPrefix(trimmed, "{") && string(doc) != trimmed {
			t.Fatalf("object changed: %q -> %q", data, doc)
		}
	})
}

// TestCredentialID reads the id `vc issue` prints from the issued credential.
func TestCredentialID(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"id":"urn:uuid:2"}`))
	enveloped := `{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential",` +
		`"id":"data:application/vc+jwt,eyJ0eXAiOiJ2Yytqd3QifQ.` + payload + `.c2ln"}`
	tests := []struct{ name, in, want string }{
		{"embedded proof", `{"id":"urn:uuid:1","proof":{}}`, "urn:uuid:1"},
		{"enveloped", enveloped, "urn:uuid:2"},
		{"no id", `{"type":["VerifiableCredential"]}`, ""},
		{"enveloped, payload not JSON", strings.Replace(enveloped, payload, "bm9wZQ", 1), ""},
		{"not JSON", `nope`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := credentialID(json.RawMessage(tt.in))
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Errorf("credentialID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
