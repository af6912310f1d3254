package main

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/ocsp"

	"github.com/kakunin-dev/kakunin/did"
)

func TestOCSPCertStatusErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"malformed request", ocsp.MalformedRequestErrorResponse, "malformed"},
		{"internal error", ocsp.InternalErrorErrorResponse, "internal_error"},
		{"try later", ocsp.TryLaterErrorResponse, "try_later"},
		{"signature required", ocsp.SigRequredErrorResponse, "signature_required"},
		{"unauthorized", ocsp.UnauthorizedErrorResponse, "unauthorized"},
		{"unassigned status 4", []byte{0x30, 0x03, 0x0A, 0x01, 0x04}, "error"},
		{"not DER", []byte("<html>"), "unparsable"},
		{"empty", nil, "unparsable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ocspCertStatus(tc.body); got != tc.want {
				t.Errorf("ocspCertStatus = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCredentialFormat(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"data integrity", `{"verifiableCredential":{"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022"}}}`, "eddsa-rdfc-2022"},
		{"enveloped JWT", `{"verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,eyJ"}}`, "vc+jwt"},
		{"enveloped with parameters", `{"verifiableCredential":{"id":"data:application/vc+sd-jwt;x=y,eyJ"}}`, "vc+sd-jwt"},
		{"odd cryptosuite", `{"verifiableCredential":{"proof":{"cryptosuite":"Robert'); DROP TABLE"}}}`, "unknown"},
		{"proof set", `{"verifiableCredential":{"proof":[{"cryptosuite":"eddsa-rdfc-2022"}]}}`, "unknown"},
		{"no credential", `{}`, "unknown"},
		{"truncated", `{"verifiableCredential":{"proof":{"cryptosuite":"eddsa-rdfc-2022"`, "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := credentialFormat([]byte(tc.body)); got != tc.want {
				t.Errorf("credentialFormat = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{did.ErrNotFound, "NOT_FOUND"},
		{fmt.Errorf("resolve: %w", did.ErrDeactivated), did.ErrDeactivated.Name()},
		{fmt.Errorf("database down"), "INTERNAL_ERROR"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := outcome(tc.err); got != tc.want {
				t.Errorf("outcome(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

// TestRecorderBoundsItsCopy writes more than maxMeteredBody through a recorder:
// the client gets every byte, the copy stops at the bound.
func TestRecorderBoundsItsCopy(t *testing.T) {
	w := httptest.NewRecorder()
	rec := &recorder{ResponseWriter: w}
	chunk := bytes.Repeat([]byte("x"), 40<<10)
	for range 3 {
		if _, err := rec.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if w.Body.Len() != 3*len(chunk) || rec.body.Len() != maxMeteredBody || rec.status != 200 {
		t.Errorf("sent %d, kept %d, status %d; want %d, %d, 200", w.Body.Len(), rec.body.Len(), rec.status, 3*len(chunk), maxMeteredBody)
	}
}

// FuzzMetricLabels checks that the labels read from answers never panic and
// stay short, so a hostile answer cannot blow up the series count.
func FuzzMetricLabels(f *testing.F) {
	f.Add([]byte(`{"verifiableCredential":{"id":"data:application/vc+jwt,e"}}`))
	f.Add(ocsp.UnauthorizedErrorResponse)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, label := range []string{credentialFormat(body), ocspCertStatus(body)} {
			if len(label) > 64 || strings.ContainsAny(label, "\"\n") {
				t.Fatalf("label %q", label)
			}
		}
	})
}
