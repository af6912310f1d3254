package main

import (
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestServeTLSSelfSigned serves HTTPS with --tls-self-signed: the base URL is
// https and the certificate served is the one whose fingerprint was printed.
func TestServeTLSSelfSigned(t *testing.T) {
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--demo=false", "--tls-self-signed")
	defer in.stop()
	if !strings.HasPrefix(in.base, "https://127.0.0.1:") || !strings.Contains(in.out.String(), "self-signed certificate") {
		t.Fatalf("base %s, output:\n%s", in.base, in.out)
	}
	if code := get(t, in.base+"/healthz", ""); code != http.StatusOK {
		t.Errorf("healthz over TLS: %d", code)
	}
	// HTTP/2 is negotiated through ALPN. The test trusts the throwaway certificate.
	client := &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // test against a self-signed server
	resp, err := client.Get(in.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", resp.Proto)
	}
}

func TestServeRefusesTLSFlagsTogether(t *testing.T) {
	_, err := cli(t, runServe, nil, "--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem")
	var ue usageError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a usage error", err)
	}
}
