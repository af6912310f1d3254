package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// supersedeOthers revokes, as superseded, the other certificates that the DID's
// current document lists for the key a rotation retired: those by the same
// issuer for the same key as old (the renewals of old's key that the rotation's
// own revocation did not cover). It returns the serials it revoked; an error
// names the ones it could not.
func supersedeOthers(ctx context.Context, s renewSpec, did string, old *x509.Certificate) ([]string, error) {
	certs, err := documentCertificates(ctx, s.server, did)
	if err != nil {
		return nil, fmt.Errorf("find the other certificates of the retired key: %w", err)
	}
	var done []string
	var errs []error
	for _, c := range certs {
		if c.SerialNumber.Cmp(old.SerialNumber) == 0 || !bytes.Equal(c.RawSubjectPublicKeyInfo, old.RawSubjectPublicKeyInfo) ||
			!bytes.Equal(c.RawIssuer, old.RawIssuer) || !bytes.Equal(c.AuthorityKeyId, old.AuthorityKeyId) {
			continue
		}
		serial := c.SerialNumber.Text(16)
		body, _ := json.Marshal(revokeBody{SerialNumber: serial, Reason: "superseded"})
		if err := postJSON(ctx, s.server, ownerPath(s.owner, "revoke"), s.token, body, nil); err != nil {
			errs = append(errs, fmt.Errorf("revoke %s of the retired key: %w", serial, err))
			continue
		}
		done = append(done, serial)
	}
	return done, errors.Join(errs...)
}

// documentCertificates resolves did through the service and returns the agent
// certificates (the first of each x5c) of its current document.
func documentCertificates(ctx context.Context, server, did string) ([]*x509.Certificate, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimSuffix(server, "/")+"/1.0/identifiers/"+url.QueryEscape(did), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/did-resolution")
	data, err := do(req)
	if err != nil {
		return nil, err
	}
	var res struct {
		DIDDocument struct {
			VerificationMethod []struct {
				PublicKeyJwk struct {
					X5C []string `json:"x5c"`
				} `json:"publicKeyJwk"`
			} `json:"verificationMethod"`
		} `json:"didDocument"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("resolution of %s: %w", did, err)
	}
	var out []*x509.Certificate
	for _, vm := range res.DIDDocument.VerificationMethod {
		if len(vm.PublicKeyJwk.X5C) == 0 {
			continue
		}
		// RFC 7517 §4.7: "Each string in the array is a base64-encoded (Section 4 of
		// [RFC4648] -- not base64url-encoded) DER [ITU.X690.2008] PKIX certificate
		// value. The PKIX certificate containing the key value MUST be the first
		// certificate."
		der, err := base64.StdEncoding.DecodeString(vm.PublicKeyJwk.X5C[0])
		if err != nil {
			return nil, fmt.Errorf("resolution of %s: x5c: %w", did, err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("resolution of %s: x5c: %w", did, err)
		}
		out = append(out, c)
	}
	return out, nil
}
