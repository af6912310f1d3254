package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/keys"
)

const agentUsage = `<enroll|renew|rotate|revoke|deactivate|link> [flags]

  enroll      makes DIR/agent.key (kept when it exists), sends a CSR with the model
              and prompt digests, stores the chain in DIR/agent.pem
  renew       a new certificate for the same key, proven by DIR/agent.key
  rotate      a new key and certificate; the old certificate is revoked
              (superseded) and the old key kept as DIR/agent.key.<old serial>
  revoke      revokes a certificate (--serial, or --cert for its serial)
  deactivate  deactivates a DID: every certificate revoked, resolution answers 410
  link        links a DID to its successor (--from OLD --to NEW), signed by the owner key

Run 'kakunin agent <command> -h' for its flags. The token comes from --token or
KAKUNIN_TOKEN; --json prints the outcome as JSON.`

// agentCommands are the subcommands of `kakunin agent`.
var agentCommands = map[string]func(ctx context.Context, env *cliEnv, args []string) error{
	"enroll":     runAgentEnroll,
	"renew":      runAgentRenew,
	"rotate":     runAgentRotate,
	"revoke":     runAgentRevoke,
	"deactivate": runAgentDeactivate,
	"link":       runAgentLink,
}

func runAgent(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", agentUsage)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fs.Usage()
		return flag.ErrHelp
	}
	var run func(context.Context, *cliEnv, []string) error
	if len(args) > 0 {
		run = agentCommands[args[0]]
	}
	if run == nil {
		fs.Usage()
		names := make([]string, 0, len(agentCommands))
		for n := range agentCommands {
			names = append(names, n)
		}
		sort.Strings(names)
		return usageError{"agent needs a command: " + strings.Join(names, ", ")}
	}
	return run(ctx, env, args[1:])
}

// agentConn holds the flags every agent command shares: how to reach the CA.
type agentConn struct {
	server, token string
	json          bool
}

// connFlags declares --server, --token and --json on fs.
func connFlags(fs *flag.FlagSet, env *cliEnv) *agentConn {
	c := &agentConn{}
	fs.StringVar(&c.server, "server", envOr(env, "KAKUNIN_SERVER", "http://127.0.0.1:8080"), "kakunin service URL (env KAKUNIN_SERVER)")
	fs.StringVar(&c.token, "token", "", "API token (prefer env KAKUNIN_TOKEN: flags show in ps)")
	fs.BoolVar(&c.json, "json", false, "print the outcome as JSON")
	return c
}

// parse parses the subcommand's flags and takes the token from the environment
// when --token is absent.
func (c *agentConn) parse(fs *flag.FlagSet, env *cliEnv, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if c.token == "" {
		c.token = env.getenv("KAKUNIN_TOKEN")
	}
	return nil
}

// print writes v as indented JSON with --json, else text.
func (c *agentConn) print(env *cliEnv, v any, text string) error {
	if !c.json {
		_, err := io.WriteString(env.stdout, text)
		return err
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

const enrollUsage = `enroll --server URL --owner ID --model PATH --prompt MANIFEST.json [--out DIR] [--token T] [--json]

Makes the agent's key (DIR/agent.key, kept when it exists), computes the model and
prompt digests, sends a CSR to the CA and stores the certificate chain in
DIR/agent.pem. The token comes from --token or KAKUNIN_TOKEN.`

func runAgentEnroll(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", enrollUsage)
	conn := connFlags(fs, env)
	owner := fs.String("owner", "", "owner id to enrol under")
	model := fs.String("model", "", "model file or directory")
	prompt := fs.String("prompt", "", "prompt manifest (JSON)")
	out := fs.String("out", ".", "directory for agent.key and agent.pem")
	if err := conn.parse(fs, env, args); err != nil {
		return err
	}
	if *owner == "" || *model == "" || *prompt == "" {
		return usageError{"agent enroll needs --owner, --model and --prompt"}
	}
	res, err := enrollAgent(ctx, enrollSpec{server: conn.server, owner: *owner, model: *model, prompt: *prompt, out: *out, token: conn.token})
	if err != nil {
		return err
	}
	return conn.print(env, res, res.text(filepath.Join(*out, "agent.pem")))
}

type enrollSpec struct{ server, owner, model, prompt, out, token string }

// enrolled is the CA's answer to an enrolment or a renewal.
type enrolled struct {
	DID          string    `json:"did"`
	SerialNumber string    `json:"serialNumber"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	VersionID    int64     `json:"versionId"`
	Chain        string    `json:"chain"`
	// Superseded lists the certificates a rotation revoked (not sent by the CA).
	Superseded []string `json:"superseded,omitempty"`
}

func (e *enrolled) text(chainFile string) string {
	s := fmt.Sprintf("%s\nserial %s, valid until %s, version %d\nchain in %s\n", e.DID, e.SerialNumber,
		e.NotAfter.Format(time.RFC3339), e.VersionID, chainFile)
	if len(e.Superseded) > 0 {
		s += "superseded " + strings.Join(e.Superseded, ", ") + "\n"
	}
	return s
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
	if err := postJSON(ctx, s.server, ownerPath(s.owner, "enroll"), s.token, body, &res); err != nil {
		return nil, err
	}
	return &res, writeChain(s.out, res.Chain)
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
