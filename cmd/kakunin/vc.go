package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/vc/vcapi"
)

const vcUsage = `issue|verify|status [flags]

  kakunin vc issue --server URL (--credential FILE | --scope GRANTS.json --subject DID --delegator DID |
                   --compliance CLAIMS.json --subject DID [--evidence FILE]…) [--format vc+jwt | --cryptosuite NAME]
                   [--validity 24h] [--id ID] [--out FILE]
  kakunin vc verify --server URL [--json] [--challenge C] [--domain D] FILE
  kakunin vc status --server URL --id CREDENTIAL_ID --purpose revocation|suspension (--set | --clear)

Talks to a kakunin service's VC API. issue prints the credential (or writes it to
--out) and its id, the handle of 'vc status'. verify sends a credential or a
presentation (JSON, or a compact vc+jwt / vp+jwt), prints the verdict and each
check, and exits 1 when it is not verified. The token of issue and status comes
from --token or KAKUNIN_TOKEN.

Example:
  kakunin vc issue --scope grants.json --subject did:kakunin:… --delegator did:web:acme.example --out vc.json
  kakunin vc verify vc.json`

// Bounds of what the vc commands read: files sent to the service, and its answers.
const (
	maxVCFile   = vcapi.DefaultMaxBody
	maxVCAnswer = 4 << 20
)

// errNotVerified is returned (exit code 1) when the verifier says no.
var errNotVerified = errors.New("not verified")

func runVC(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		newFlags(env, "vc", vcUsage).Usage()
		return usageError{"which vc command? issue, verify or status"}
	}
	switch args[0] {
	case "issue":
		return vcIssue(ctx, env, args[1:])
	case "verify":
		return vcVerify(ctx, env, args[1:])
	case "status":
		return vcStatus(ctx, env, args[1:])
	case "-h", "--help", "help":
		newFlags(env, "vc", vcUsage).Usage()
		return flag.ErrHelp
	}
	return usageError{fmt.Sprintf("unknown vc command %q (issue, verify or status)", args[0])}
}

// vcClient calls the VC API of one service, bounded in time and answer size.
type vcClient struct {
	server, token string
	hc            *http.Client
}

// vcFlags adds the flags every vc command has; the client is made after parsing.
func vcFlags(env *cliEnv, fs *flag.FlagSet, withToken bool) func() (*vcClient, error) {
	server := fs.String("server", envOr(env, "KAKUNIN_SERVER", "http://127.0.0.1:8080"), "kakunin service URL (env KAKUNIN_SERVER)")
	timeout := fs.Duration("timeout", 30*time.Second, "timeout of the HTTP request")
	token := new(string)
	if withToken {
		token = fs.String("token", "", "API token (prefer env KAKUNIN_TOKEN: flags show in ps)")
	}
	return func() (*vcClient, error) {
		u, err := url.Parse(*server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageError{fmt.Sprintf("--server %q: want an http or https URL", *server)}
		}
		if *timeout <= 0 {
			return nil, usageError{"--timeout must be positive"}
		}
		if *token == "" && withToken {
			*token = env.getenv("KAKUNIN_TOKEN")
		}
		return &vcClient{server: strings.TrimSuffix(*server, "/"), token: *token, hc: &http.Client{
			Timeout: *timeout,
			// A POST is never replayed elsewhere, with or without the token.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}, nil
	}
}

// problemError is a service's refusal, read from its RFC 9457 problem details.
type problemError struct {
	Path   string
	Status int
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Ptr    string `json:"pointer"`
}

func (e *problemError) Error() string {
	msg := fmt.Sprintf("%s: %d %s", e.Path, e.Status, http.StatusText(e.Status))
	if e.Title != "" && e.Title != http.StatusText(e.Status) {
		msg += ": " + e.Title
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Ptr != "" {
		msg += " (at " + e.Ptr + ")"
	}
	return msg
}

// post sends body as JSON to path and returns the 2xx answer (at most maxVCAnswer
// bytes); any other status is a *problemError.
func (c *vcClient) post(ctx context.Context, path string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.server+path, bytes.NewReader(b))
	if err != nil {
		return nil, usageError{err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxVCAnswer+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	case len(data) > maxVCAnswer:
		return nil, fmt.Errorf("%s: answer larger than %d bytes", path, maxVCAnswer)
	case resp.StatusCode/100 != 2:
		p := &problemError{}
		_ = json.Unmarshal(data, p) // a body that is no problem leaves the status alone
		p.Path, p.Status = path, resp.StatusCode
		return nil, p
	}
	return data, nil
}

// readJSONFile reads a bounded file that must hold JSON.
func readJSONFile(path string) (json.RawMessage, error) {
	data, err := readBounded(path, maxVCFile)
	if err != nil {
		return nil, err
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%s: not valid JSON", path)
	}
	return bytes.TrimSpace(data), nil
}
