package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"strings"
)

const revokeUsage = `revoke --server URL --owner ID (--serial HEX | --cert DIR/agent.pem) [--reason R] [--token T] [--json]

Revokes a certificate issued by the owner. The reason is an RFC 5280 CRLReason
name: unspecified, keyCompromise, affiliationChanged, superseded,
cessationOfOperation or privilegeWithdrawn.`

const deactivateUsage = `deactivate --server URL --did DID [--reason R] [--token T] [--json]

Deactivates a did:kakunin: the CA revokes every certificate of the DID (reason
cessationOfOperation unless --reason says otherwise), and its resolution answers
410 with "deactivated": true from then on. This cannot be undone.`

// revokeBody is the JSON body of POST /ca/owners/{owner}/revoke and of
// POST /ca/dids/{did}/deactivate (reason only).
type revokeBody struct {
	SerialNumber string `json:"serialNumber,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// revoked is the outcome of revoke, printed with --json.
type revoked struct {
	Owner        string `json:"owner"`
	SerialNumber string `json:"serialNumber"`
	Reason       string `json:"reason"`
	Revoked      bool   `json:"revoked"`
}

// deactivated is the outcome of deactivate, printed with --json.
type deactivated struct {
	DID         string `json:"did"`
	Reason      string `json:"reason,omitempty"`
	Deactivated bool   `json:"deactivated"`
}

func runAgentRevoke(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", revokeUsage)
	conn := connFlags(fs, env)
	owner := fs.String("owner", "", "id of the owner that issued the certificate")
	serialHex := fs.String("serial", "", "serial number of the certificate (hexadecimal)")
	certFile := fs.String("cert", "", "PEM file whose first certificate is the one to revoke")
	reason := fs.String("reason", "unspecified", "RFC 5280 CRLReason name")
	if err := conn.parse(fs, env, args); err != nil {
		return err
	}
	if *owner == "" || (*serialHex == "") == (*certFile == "") {
		return usageError{"agent revoke needs --owner and one of --serial or --cert"}
	}
	serial, err := revokeSerial(*serialHex, *certFile)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(revokeBody{SerialNumber: serial.Text(16), Reason: *reason})
	if err := postJSON(ctx, conn.server, ownerPath(*owner, "revoke"), conn.token, body, nil); err != nil {
		return err
	}
	out := revoked{Owner: *owner, SerialNumber: serial.Text(16), Reason: *reason, Revoked: true}
	return conn.print(env, out, fmt.Sprintf("revoked %s (owner %s): %s\n", out.SerialNumber, out.Owner, out.Reason))
}

// revokeSerial reads the serial from --serial (hex, up to 20 octets) or from the
// certificate in --cert.
func revokeSerial(serialHex, certFile string) (*big.Int, error) {
	if certFile != "" {
		cert, err := readAgentCert(certFile)
		if err != nil {
			return nil, err
		}
		return cert.SerialNumber, nil
	}
	s := strings.TrimPrefix(strings.ToLower(strings.ReplaceAll(serialHex, ":", "")), "0x")
	n, ok := new(big.Int).SetString(s, 16)
	if !ok || len(s) > 40 || n.Sign() <= 0 {
		return nil, usageError{fmt.Sprintf("--serial %q: not a positive hexadecimal number of at most 20 octets", serialHex)}
	}
	return n, nil
}

func runAgentDeactivate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "agent", deactivateUsage)
	conn := connFlags(fs, env)
	id := fs.String("did", "", "the did:kakunin to deactivate")
	reason := fs.String("reason", "", "RFC 5280 CRLReason name for the revocations (default cessationOfOperation)")
	if err := conn.parse(fs, env, args); err != nil {
		return err
	}
	if !strings.HasPrefix(*id, "did:kakunin:") {
		return usageError{"agent deactivate needs --did did:kakunin:…"}
	}
	body, _ := json.Marshal(revokeBody{Reason: *reason})
	if err := postJSON(ctx, conn.server, "/ca/dids/"+url.PathEscape(*id)+"/deactivate", conn.token, body, nil); err != nil {
		return err
	}
	out := deactivated{DID: *id, Reason: *reason, Deactivated: true}
	return conn.print(env, out, fmt.Sprintf("deactivated %s\n", out.DID))
}
