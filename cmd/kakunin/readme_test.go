package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var demoSerialRE = regexp.MustCompile(`"serialNumber":"([^"]+)"`)

// TestREADMEQuickstart runs the README's quickstart as a reader would paste it,
// against `kakunin serve` with its demo (as `make run` starts it): each curl must
// answer 2xx and each kakunin command must succeed, except a `vc verify` after the
// agent's certificate was revoked, which must fail. The story must stay whole:
// issue, verify, revoke, verify again.
func TestREADMEQuickstart(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block, err := snippet(string(readme), "## Quickstart (5 minutes)")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := shellLines(block)
	if err != nil {
		t.Fatal(err)
	}
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	defer in.stop()
	qs := newQuickstart(t, in)
	t.Chdir(t.TempDir())
	for _, l := range lines {
		qs.step(l)
	}
	t.Logf("the quickstart ran: %q", qs.story)
	want := []string{"vc issue", "vc verify", "revoke", "vc verify: refused"}
	if !containsInOrder(qs.story, want) {
		t.Errorf("the quickstart did %q; it must still do %q in that order", qs.story, want)
	}
}

// quickstart is the state of a README run: the server, the reader's variables and
// what happened so far.
type quickstart struct {
	t       *testing.T
	in      *instance
	vars    map[string]string
	serial  string
	revoked bool
	story   []string
}

func newQuickstart(t *testing.T, in *instance) *quickstart {
	token, serial := tokenRE.FindStringSubmatch(in.out.String()), demoSerialRE.FindStringSubmatch(in.out.String())
	if token == nil || serial == nil || in.did == "" {
		t.Fatalf("no admin token, demo serial or DID in:\n%s", in.out)
	}
	vars := map[string]string{"DID": in.did, "KAKUNIN_TOKEN": token[1], "KAKUNIN_SERVER": in.base}
	return &quickstart{t: t, in: in, vars: vars, serial: serial[1]}
}

// step runs one line of the quickstart.
func (q *quickstart) step(l shellLine) {
	q.t.Helper()
	if l.file != "" {
		if err := os.WriteFile(l.file, []byte(l.content), 0o600); err != nil {
			q.t.Fatal(err)
		}
		return
	}
	host := strings.TrimPrefix(q.in.base, "http://")
	text := strings.NewReplacer("http://127.0.0.1:8080", q.in.base, "127.0.0.1:8080", host, "<serial>", q.serial).Replace(l.text)
	words, err := shellWords(text, func(k string) string { return q.vars[k] }, q.substitute)
	if err != nil {
		q.t.Fatalf("README: %v", err)
	}
	switch {
	case words[0] == "curl":
		q.curlStep(words[1:])
	case len(words) > 3 && slices.Equal(words[:3], []string{"go", "run", "./cmd/kakunin"}):
		q.kakunin(words[3:])
	default:
		q.t.Fatalf("README quickstart: %q is not a command this test knows; teach TestREADMEQuickstart", l.text)
	}
}

func (q *quickstart) substitute(cmd string) (string, error) {
	words, err := shellWords(cmd, func(k string) string { return q.vars[k] }, nil)
	if err == nil && len(words) == 2 && words[0] == "cat" {
		data, err := os.ReadFile(words[1])
		return string(data), err
	}
	if err != nil || len(words) == 0 || words[0] != "curl" {
		return "", fmt.Errorf("$(%s): only curl and cat are supported", cmd)
	}
	code, body, err := curl(words[1:])
	if err == nil && code/100 != 2 {
		err = fmt.Errorf("$(%s): HTTP %d %s", cmd, code, body)
	}
	return string(body), err
}

func (q *quickstart) curlStep(args []string) {
	code, body, err := curl(args)
	if err != nil || code/100 != 2 {
		q.t.Fatalf("curl %q: %d %v\n%s", args, code, err, body)
	}
	var verdict struct{ Allowed, Verified *bool }
	if json.Unmarshal(body, &verdict) == nil && !q.revoked {
		for _, v := range []*bool{verdict.Allowed, verdict.Verified} {
			if v != nil && !*v {
				q.t.Fatalf("curl %q: the answer says no before any revocation:\n%s", args, body)
			}
		}
	}
	if slices.ContainsFunc(args, func(a string) bool { return strings.HasSuffix(a, "/revoke") }) {
		q.revoked = true
		q.story = append(q.story, "revoke")
	}
}

// kakunin runs the CLI in this process, as `go run ./cmd/kakunin args…` would.
func (q *quickstart) kakunin(args []string) {
	var out, errs bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errs, getenv: func(k string) string { return q.vars[k] }}
	code := run(context.Background(), env, args)
	name := strings.Join(args[:min(2, len(args))], " ")
	want := exitOK
	if name == "vc verify" && q.revoked {
		want, name = exitFailure, name+": refused"
	}
	if code != want {
		q.t.Fatalf("kakunin %q: exit %d, want %d\n%s%s", args, code, want, &out, &errs)
	}
	q.story = append(q.story, name)
}

// curl does what curl does with the options the README uses (-s, -H, -d, -o,
// -X), including -d's default form content type.
func curl(args []string) (int, []byte, error) {
	method, header, outFile := "", http.Header{}, ""
	var body []byte
	var target string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-s" || !strings.HasPrefix(a, "-") {
			if !strings.HasPrefix(a, "-") {
				target = a
			}
			continue
		}
		if i+1 == len(args) {
			return 0, nil, fmt.Errorf("curl %s without a value", a)
		}
		i++
		v := args[i]
		switch a {
		case "-H":
			k, val, _ := strings.Cut(v, ":")
			header.Add(k, strings.TrimSpace(val))
		case "-d":
			data, err := readDataArg(v)
			if err != nil {
				return 0, nil, err
			}
			body, method = data, http.MethodPost
		case "-o":
			outFile = v
		case "-X":
			method = v
		default:
			return 0, nil, fmt.Errorf("curl option %s is not supported here", a)
		}
	}
	return send1(method, target, header, body, outFile)
}

func send1(method, target string, header http.Header, body []byte, outFile string) (int, []byte, error) {
	if _, err := url.Parse(target); err != nil || target == "" {
		return 0, nil, fmt.Errorf("curl: bad URL %q", target)
	}
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = header
	if body != nil && header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := testClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil && outFile != "" {
		err = os.WriteFile(outFile, data, 0o600)
	}
	return resp.StatusCode, data, err
}

// containsInOrder reports whether want is a subsequence of got.
func containsInOrder(got, want []string) bool {
	for _, g := range got {
		if len(want) > 0 && g == want[0] {
			want = want[1:]
		}
	}
	return len(want) == 0
}
