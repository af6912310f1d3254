package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kakunin-dev/kakunin/vc/jose"
)

// vcResult is the part of a VCALM VerificationResult that `vc verify` prints.
type vcResult struct {
	Verified       bool `json:"verified"`
	ProblemDetails []struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"problemDetails"`
	Results *struct {
		ValidFrom         *vcCheck   `json:"validFrom"`
		ValidUntil        *vcCheck   `json:"validUntil"`
		CredentialSchema  []vcCheck  `json:"credentialSchema"`
		CredentialStatus  []vcCheck  `json:"credentialStatus"`
		CredentialSubject []vcCheck  `json:"credentialSubject"` // the subject DID check, per did:kakunin subject
		Proof             []vcCheck  `json:"proof"`
		Credentials       []vcResult `json:"credentials"` // of a presentation
		Presentation      *struct {
			Challenge *vcCheck  `json:"challenge"`
			Domain    *vcCheck  `json:"domain"`
			Holder    *vcCheck  `json:"holder"`
			Proof     []vcCheck `json:"proof"`
		} `json:"presentation"`
	} `json:"results"`
}

// vcCheck is one VCALM result: a verdict on one input.
type vcCheck struct {
	Verified bool            `json:"verified"`
	Input    json.RawMessage `json:"input"`
}

func vcVerify(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "vc", vcUsage)
	client := vcFlags(env, fs, false)
	asJSON := fs.Bool("json", false, "print the service's VerificationResult as JSON")
	challenge := fs.String("challenge", "", "challenge a presentation's proof must carry")
	domain := fs.String("domain", "", "domain a presentation's proof must carry")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"vc verify needs exactly one FILE"}
	}
	c, err := client()
	if err != nil {
		return err
	}
	data, err := readBounded(fs.Arg(0), maxVCFile)
	if err != nil {
		return err
	}
	doc, presentation, err := verifyInput(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	path, body := "/credentials/verify", map[string]any{"verifiableCredential": doc,
		"options": map[string]any{"returnResults": true}}
	if presentation {
		opts := map[string]any{"challenge": *challenge, "domain": *domain}
		path, body = "/presentations/verify", map[string]any{"verifiablePresentation": doc, "options": opts}
	}
	answer, err := c.post(ctx, path, body)
	if err != nil {
		return err
	}
	var res vcResult
	if err := json.Unmarshal(answer, &res); err != nil {
		return fmt.Errorf("%s: answer is no VerificationResult: %w", path, err)
	}
	if *asJSON {
		_, err = fmt.Fprintf(env.stdout, "%s\n", bytes.TrimSpace(answer))
	} else {
		fmt.Fprintf(env.stdout, "verified: %t\n", res.Verified)
		err = res.print(env.stdout, "  ")
	}
	if err == nil && !res.Verified {
		err = errNotVerified
	}
	return err
}

// verifyInput returns the JSON object to send for data, and whether it is a
// presentation. A compact JWS is wrapped as an enveloped credential, or an
// enveloped presentation when its typ is vp+jwt.
func verifyInput(data []byte) (json.RawMessage, bool, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var head struct {
			Type json.RawMessage `json:"type"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, false, fmt.Errorf("not valid JSON: %w", err)
		}
		var types []string
		if json.Unmarshal(head.Type, &types) != nil {
			types = []string{strings.Trim(string(head.Type), `"`)}
		}
		return data, slices.Contains(types, "VerifiablePresentation") ||
			slices.Contains(types, jose.TypeEnvelopedPresentation), nil
	}
	parts := strings.Split(string(data), ".")
	var hdr struct {
		Typ string `json:"typ"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if len(parts) != 3 || err != nil || json.Unmarshal(raw, &hdr) != nil {
		return nil, false, fmt.Errorf("neither a JSON credential or presentation nor a compact JWS")
	}
	if hdr.Typ == "vp+jwt" {
		doc, err := json.Marshal(jose.EnvelopePresentation(data))
		return doc, true, err
	}
	doc, err := json.Marshal(jose.Envelope(data))
	return doc, false, err
}

// print writes each check of r, indented.
func (r *vcResult) print(w io.Writer, indent string) error {
	var lines []string
	add := func(c *vcCheck, what string) {
		if c == nil {
			return
		}
		mark := "ok  "
		if !c.Verified {
			mark = "FAIL"
		}
		lines = append(lines, fmt.Sprintf("%s%s %s%s", indent, mark, what, describe(c.Input)))
	}
	if res := r.Results; res != nil {
		if p := res.Presentation; p != nil {
			for i := range p.Proof {
				add(&p.Proof[i], "presentation proof")
			}
			add(p.Challenge, "challenge")
			add(p.Domain, "domain")
			add(p.Holder, "holder")
		}
		for i := range res.Proof {
			add(&res.Proof[i], "proof")
		}
		add(res.ValidFrom, "validFrom")
		add(res.ValidUntil, "validUntil")
		for i := range res.CredentialSchema {
			add(&res.CredentialSchema[i], "credentialSchema")
		}
		for i := range res.CredentialStatus {
			add(&res.CredentialStatus[i], "credentialStatus")
		}
		for i := range res.CredentialSubject {
			add(&res.CredentialSubject[i], "credentialSubject")
		}
	}
	for _, p := range r.ProblemDetails {
		text := strings.Join(slices.DeleteFunc([]string{p.Title, p.Detail}, func(s string) bool { return s == "" }), ": ")
		lines = append(lines, indent+"problem: "+text)
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	if r.Results == nil {
		return nil
	}
	for i := range r.Results.Credentials {
		c := &r.Results.Credentials[i]
		fmt.Fprintf(w, "%scredential %d verified: %t\n", indent, i+1, c.Verified)
		if err := c.print(w, indent+"  "); err != nil {
			return err
		}
	}
	return nil
}

// describe names a check's input: a string as it is, an object by its type,
// cryptosuite, statusPurpose or id.
func describe(input json.RawMessage) string {
	var s string
	if json.Unmarshal(input, &s) == nil {
		return " " + s
	}
	var o struct {
		Type          string `json:"type"`
		Cryptosuite   string `json:"cryptosuite"`
		StatusPurpose string `json:"statusPurpose"`
		ID            string `json:"id"`
	}
	if json.Unmarshal(input, &o) != nil {
		return ""
	}
	out := ""
	for _, f := range []string{o.Type, o.Cryptosuite, o.StatusPurpose, o.ID} {
		if f != "" {
			out += " " + f
		}
	}
	return out
}
