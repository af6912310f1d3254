package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// print shows the demo DID and ready-to-paste commands that try every role.
func (d *demoAgent) print(w io.Writer, cfg serveConfig) {
	base, owner := cfg.BaseURL, cfg.BaseURL+"/ca/owners/"+demoOwner
	bearer := `-H "Authorization: Bearer $KAKUNIN_TOKEN" -H 'Content-Type: application/json'`
	fmt.Fprintf(w, "kakunin: demo agent %s\n  files in %s (model.bin, prompt.json, agent.key, agent.pem)\n\nTry:\n", d.ID, d.Dir)
	var lines []string
	if cfg.hasRole("resolver") {
		lines = append(lines, fmt.Sprintf("curl -H 'Accept: application/did-resolution' '%s/1.0/identifiers/%s'", base, d.ID))
	}
	if cfg.hasRole("ca") {
		lines = append(lines,
			fmt.Sprintf("curl '%s/crl.pem'", owner),
			fmt.Sprintf("curl -o demo-ca.pem '%s' && openssl ocsp -issuer demo-ca.pem -CAfile demo-ca.pem -cert %s -url '%s/ocsp' -resp_text",
				owner, filepath.Join(d.Dir, "agent.pem"), owner))
	}
	if cfg.hasRole("audit") {
		lines = append(lines, fmt.Sprintf("curl '%s/audit/checkpoint'", base))
	}
	if cfg.hasRole("issuer") {
		lines = append(lines,
			fmt.Sprintf(`curl %s -o vc.json -d '{"credential":{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"id":"%s"}}}' '%s/credentials/issue'`, bearer, d.ID, base),
			fmt.Sprintf("curl -H 'Content-Type: application/json' -d @vc.json '%s/credentials/verify'", base),
			fmt.Sprintf(`curl %s -d "{\"credentialId\":\"$(jq -r .verifiableCredential.id vc.json)\",\"status\":true,\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\"}}" '%s/credentials/status'`, bearer, base))
	}
	if cfg.hasRole("ca") {
		lines = append(lines, fmt.Sprintf(`curl %s -d '{"serialNumber":"%s","reason":"keyCompromise"}' '%s/revoke'`, bearer, d.Serial, owner))
	}
	fmt.Fprintf(w, "  %s\n\n", strings.Join(lines, "\n  "))
}
