package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/vc/jose"
	"github.com/kakunin-dev/kakunin/vc/scope"
)

// issueFlags are the flags of `vc issue`.
type issueFlags struct {
	credential, scope, compliance   string
	subject, delegator, delegatorNm string
	format, cryptosuite, id, out    string
	instance                        string
	validity                        time.Duration
	evidence                        evidenceFiles
}

func (f *issueFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.credential, "credential", "", "unsecured credential (JSON) to issue as it is")
	fs.StringVar(&f.scope, "scope", "", "grants (JSON array) of a KakuninScopeCredential")
	fs.StringVar(&f.compliance, "compliance", "", "claims (JSON object) of a KakuninComplianceCredential")
	fs.Var(&f.evidence, "evidence", "audit-log evidence (JSON, as 'kakunin audit evidence' writes it) to add to the --compliance claims; repeatable")
	fs.StringVar(&f.subject, "subject", "", "the agent's DID, subject of a scope or compliance credential")
	fs.StringVar(&f.delegator, "delegator", "", "DID of the party delegating the scope")
	fs.StringVar(&f.delegatorNm, "delegator-name", "", "display name of the delegator")
	fs.StringVar(&f.format, "format", "", `"vc+jwt" for an enveloped JOSE credential (default: Data Integrity proof)`)
	fs.StringVar(&f.cryptosuite, "cryptosuite", "", "Data Integrity cryptosuite (default: the issuer's, e.g. eddsa-rdfc-2022)")
	fs.StringVar(&f.id, "id", "", "id by which the service refers to a --credential (default: its id, or a new urn:uuid)")
	fs.StringVar(&f.out, "out", "", "write the credential to this file instead of stdout")
	fs.StringVar(&f.instance, "instance", "", "issuer instance (default: the service's default instance)")
	fs.DurationVar(&f.validity, "validity", 0, "validity period of a scope or compliance credential (default: the issuer's maximum)")
}

func (f *issueFlags) check(nargs int) error {
	kinds := 0
	for _, s := range []string{f.credential, f.scope, f.compliance} {
		if s != "" {
			kinds++
		}
	}
	switch {
	case nargs > 0:
		return usageError{"vc issue takes no arguments"}
	case kinds != 1:
		return usageError{"give exactly one of --credential, --scope and --compliance"}
	case f.credential != "" && (f.subject != "" || f.validity != 0):
		return usageError{"--subject and --validity go with --scope or --compliance; a --credential carries its own"}
	case f.credential == "" && f.subject == "":
		return usageError{"--scope and --compliance need --subject DID"}
	case f.credential == "" && f.id != "":
		return usageError{"--id goes with --credential; a scope or compliance credential gets a new id"}
	case f.scope == "" && f.delegator != "":
		return usageError{"--delegator goes with --scope"}
	case f.compliance == "" && len(f.evidence) > 0:
		return usageError{"--evidence goes with --compliance"}
	case f.format != "" && f.format != "vc+jwt":
		return usageError{fmt.Sprintf("--format %q: the only format is vc+jwt", f.format)}
	case f.format != "" && f.cryptosuite != "":
		return usageError{"give --format or --cryptosuite, not both"}
	case f.validity < 0 || f.validity%time.Second != 0:
		return usageError{"--validity must be a positive whole number of seconds"}
	}
	return nil
}

// request returns the endpoint and body of the issue request.
func (f *issueFlags) request() (string, map[string]any, error) {
	opts := map[string]any{}
	if f.id != "" {
		opts["credentialId"] = f.id
	}
	if f.format != "" {
		opts["format"] = f.format
	}
	if f.cryptosuite != "" {
		opts["cryptosuite"] = f.cryptosuite
	}
	prefix := ""
	if f.instance != "" {
		prefix = "/instances/" + url.PathEscape(f.instance)
	}
	if f.credential != "" {
		cred, err := readJSONFile(f.credential)
		if err != nil {
			return "", nil, err
		}
		return prefix + "/credentials/issue", map[string]any{"credential": cred, "options": opts}, nil
	}
	body := map[string]any{"agent": f.subject, "validitySeconds": int64(f.validity / time.Second), "options": opts}
	if f.scope != "" {
		grants, err := readJSONFile(f.scope)
		if err != nil {
			return "", nil, err
		}
		body["grants"] = grants
		body["delegator"] = scope.Party{ID: f.delegator, Name: f.delegatorNm}
		return prefix + "/credentials/issue/scope", body, nil
	}
	claims, err := readJSONFile(f.compliance)
	if err != nil {
		return "", nil, err
	}
	if claims, err = withEvidence(claims, f.evidence); err != nil {
		return "", nil, err
	}
	body["claims"] = claims
	return prefix + "/credentials/issue/compliance", body, nil
}

func vcIssue(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "vc", vcUsage)
	client := vcFlags(env, fs, true)
	var f issueFlags
	f.bind(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check(fs.NArg()); err != nil {
		return err
	}
	c, err := client()
	if err != nil {
		return err
	}
	path, body, err := f.request()
	if err != nil {
		return err
	}
	data, err := c.post(ctx, path, body)
	if err != nil {
		return err
	}
	var res struct {
		VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	}
	if err := json.Unmarshal(data, &res); err != nil || len(res.VerifiableCredential) == 0 {
		return fmt.Errorf("%s: answer holds no verifiableCredential", path)
	}
	id := f.id
	if id == "" {
		if id, err = credentialID(res.VerifiableCredential); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if f.out == "" {
		fmt.Fprintf(env.stderr, "issued %s\n", id)
		_, err := fmt.Fprintf(env.stdout, "%s\n", res.VerifiableCredential)
		return err
	}
	if err := os.WriteFile(f.out, append(res.VerifiableCredential, '\n'), 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.stdout, "issued %s\ncredential in %s\n", id, f.out)
	return err
}

// credentialID returns the id of an issued credential, read in its payload when
// it is enveloped: the id by which the service records it (vc status --id).
func credentialID(secured json.RawMessage) (string, error) {
	var obj map[string]any
	if err := json.Unmarshal(secured, &obj); err != nil {
		return "", err
	}
	if obj["type"] == jose.TypeEnvelopedCredential {
		_, jws, err := jose.Unenvelope(obj)
		if err != nil {
			return "", err
		}
		parts := strings.Split(string(jws), ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[min(1, len(parts)-1)])
		if err != nil || json.Unmarshal(payload, &obj) != nil {
			return "", errors.New("enveloped credential payload is not JSON")
		}
	}
	id, _ := obj["id"].(string)
	if id == "" {
		return "", errors.New("issued credential has no id")
	}
	return id, nil
}

func vcStatus(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "vc", vcUsage)
	client := vcFlags(env, fs, true)
	id := fs.String("id", "", "credential id, as 'vc issue' printed it")
	purpose := fs.String("purpose", "", "status purpose: revocation or suspension")
	set := fs.Bool("set", false, "set the status (revoke or suspend)")
	clear := fs.Bool("clear", false, "clear the status (lift a suspension)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *id == "":
		return usageError{"vc status needs --id"}
	case *purpose != "revocation" && *purpose != "suspension":
		return usageError{"--purpose must be revocation or suspension"}
	case *set == *clear:
		return usageError{"give exactly one of --set and --clear"}
	}
	c, err := client()
	if err != nil {
		return err
	}
	body := map[string]any{"credentialId": *id, "status": *set,
		"credentialStatus": map[string]string{"type": "BitstringStatusListEntry", "statusPurpose": *purpose}}
	if _, err := c.post(ctx, "/credentials/status", body); err != nil {
		return err
	}
	verb := "set"
	if *clear {
		verb = "cleared"
	}
	_, err = fmt.Fprintf(env.stdout, "%s: %s %s\n", *id, *purpose, verb)
	return err
}
