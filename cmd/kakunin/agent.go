package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/keys"
)

const agentUsage = `enroll --server URL --owner ID --model PATH --prompt MANIFEST.json [--out DIR] [--token T]

Makes the agent's key (DIR/agent.key, kept when it exists), computes the model and
prompt digests, sends a CSR to the CA and stores the certificate chain in
DIR/agent.pem. The token comes from --token or KAKUNIN_TOKEN.`

// maxAnswer bounds a server's answer read by the CLI.
const maxAnswer = 1 << 20

func runAgent(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", agentUsage)
	server := fs.String("server", envOr(env, "KAKUNIN_SERVER", "http://127.0.0.1:8080"), "kakunin service URL (env KAKUNIN_SERVER)")
	owner := fs.String("owner", "", "owner id to enrol under")
	model := fs.String("model", "", "model file or directory")
	prompt := fs.String("prompt", "", "prompt manifest (JSON)")
	out := fs.String("out", ".", "directory for agent.key and agent.pem")
	token := fs.String("token", "", "API token (prefer env KAKUNIN_TOKEN: flags show in ps)")
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "enroll" {
		fs.Usage()
		return usageError{"the only agent command is enroll"}
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *owner == "" || *model == "" || *prompt == "" || fs.NArg() > 0 {
		return usageError{"agent enroll needs --owner, --model and --prompt"}
	}
	if *token == "" {
		*token = env.getenv("KAKUNIN_TOKEN")
	}
	res, err := enrollAgent(ctx, enrollSpec{server: *server, owner: *owner, model: *model, prompt: *prompt, out: *out, token: *token})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s\nserial %s, valid until %s\nchain in %s\n", res.DID, res.SerialNumber,
		res.NotAfter.Format(time.RFC3339), filepath.Join(*out, "agent.pem"))
	return nil
}

type enrollSpec struct{ server, owner, model, prompt, out, token string }

// enrolled is the CA's answer to an enrolment.
type enrolled struct {
	DID          string    `json:"did"`
	SerialNumber string    `json:"serialNumber"`
	NotAfter     time.Time `json:"notAfter"`
	Chain        string    `json:"chain"`
}

func enrollAgent(ctx context.Context, s enrollSpec) (*enrolled, error) {
	model, err := modelDigest(&cliEnv{stderr: io.Discard}, []string{s.model}, true)
	if err != nil {
		return nil, err
	}
	prompt, err := promptDigest([]string{s.prompt})
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.out, 0o700); err != nil {
		return nil, err
	}
	signer, err := openOrGenerate(ctx, filepath.Join(s.out, "agent.key"), keys.Ed25519)
	if err != nil {
		return nil, err
	}
	defer signer.Close()
	csr, err := agentCSR(signer)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"csr": string(pemBlock("CERTIFICATE REQUEST", csr)),
		"modelDigest": model["digest"], "promptDigest": prompt["digest"]})
	var res enrolled
	u := s.server + "/ca/owners/" + url.PathEscape(s.owner) + "/enroll"
	if err := postJSON(ctx, u, s.token, body, &res); err != nil {
		return nil, err
	}
	return &res, os.WriteFile(filepath.Join(s.out, "agent.pem"), []byte(res.Chain), 0o644)
}

// agentCSR makes a PKCS#10 request (DER) signed by the agent's key: the proof of
// possession the CA checks. The CA takes the DID from the digests, not from the
// CSR's subject, which stays empty.
func agentCSR(signer keys.Signer) ([]byte, error) {
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, signer)
	if err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	return csr, nil
}

// pemBlock encodes one PEM block.
func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// postJSON posts body with a bearer token and decodes a 2xx JSON answer into v.
func postJSON(ctx context.Context, u, token string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return usageError{err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	data, err := do(req)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// do sends req with a timeout and returns a 2xx answer's body (bounded), or an
// error carrying the server's problem detail.
func do(req *http.Request) ([]byte, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case err != nil:
		return nil, err
	case len(data) > maxAnswer:
		return nil, fmt.Errorf("%s: answer larger than %d bytes", req.URL, maxAnswer)
	case resp.StatusCode/100 != 2:
		var p struct {
			Detail string `json:"detail"`
		}
		_ = json.Unmarshal(data, &p)
		return data, fmt.Errorf("%s: %s %s", req.URL.Path, resp.Status, p.Detail)
	}
	return data, nil
}
