package main

import (
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
}

func TestServeRefusesTLSFlagsTogether(t *testing.T) {
	_, err := cli(t, runServe, nil, "--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem")
	var ue usageError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a usage error", err)
	}
}
