package main

import (
	"fmt"

	"github.com/kakunin-dev/kakunin/vc/status"
)

// Values of --credential-cascade: what revoking an agent certificate (or deactivating its
// DID) through the CA does to the credentials this service issued to the DID.
const (
	// cascadeSuspend, the default, suspends them: an owner may lift the suspension once the
	// agent is enrolled again.
	cascadeSuspend = "suspend"
	// cascadeRevoke revokes them, for good.
	cascadeRevoke = "revoke"
)

// cascadePurpose returns the status entry that --credential-cascade sets in the credentials
// of a revoked agent: suspension or revocation. The cascade and its reconciliation both
// read it.
func (c serveConfig) cascadePurpose() (status.Purpose, error) {
	switch c.CredentialCascade {
	case cascadeSuspend:
		return status.Suspension, nil
	case cascadeRevoke:
		return status.Revocation, nil
	}
	return "", fmt.Errorf("--credential-cascade: %q is neither %s nor %s", c.CredentialCascade, cascadeSuspend, cascadeRevoke)
}
