package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testEnv(vars map[string]string) *cliEnv {
	return &cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string { return vars[k] }}
}

func TestServeConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kakunin.yaml")
	if err := os.WriteFile(file, []byte("addr: 127.0.0.1:9000\nlogLevel: debug\ncertTTL: 2h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := testEnv(map[string]string{"KAKUNIN_CONFIG": file, "KAKUNIN_LOG_LEVEL": "warn", "KAKUNIN_CERT_TTL": "3h"})
	cfg, err := loadServeConfig(env, []string{"--cert-ttl", "4h"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9000" { // file
		t.Errorf("addr %q", cfg.Addr)
	}
	if cfg.LogLevel != "warn" { // env beats file
		t.Errorf("log level %q", cfg.LogLevel)
	}
	if cfg.CertTTL != 4*time.Hour { // flag beats env
		t.Errorf("cert ttl %v", cfg.CertTTL)
	}
	if cfg.DB != filepath.Join("data", "kakunin.db") || cfg.BaseURL != "http://127.0.0.1:9000" {
		t.Errorf("derived defaults: db %q base %q", cfg.DB, cfg.BaseURL)
	}
}

func TestServeConfigRejects(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(unknown, []byte("adress: typo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"unknown yaml field", map[string]string{"KAKUNIN_CONFIG": unknown}, nil},
		{"missing file", nil, []string{"--config", filepath.Join(dir, "none.yaml")}},
		{"bad env duration", map[string]string{"KAKUNIN_CERT_TTL": "soon"}, nil},
		{"tls half", nil, []string{"--tls-cert", "c.pem"}},
		{"cert ttl too long", nil, []string{"--cert-ttl", "200h"}},
		{"unknown role", nil, []string{"--roles", "resolver,mint"}},
		{"unknown cryptosuite", nil, []string{"--verify-cryptosuites", "eddsa-rdfc-2022,rsa-2000"}},
		{"stray argument", nil, []string{"extra"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadServeConfig(testEnv(c.vars), c.args)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v, want a usage error", err)
			}
		})
	}
}

func TestVerifyCryptosuites(t *testing.T) {
	cfg, err := loadServeConfig(testEnv(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := cfg.verifySuites(); err != nil || got != nil {
		t.Fatalf("default: %v %v, want nil (the verifier's defaults)", got, err)
	}
	cfg, err = loadServeConfig(testEnv(map[string]string{"KAKUNIN_VERIFY_CRYPTOSUITES": "eddsa-rdfc-2022, Ed25519Signature2020"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := cfg.verifySuites(); strings.Join(got, " ") != "eddsa-rdfc-2022 Ed25519Signature2020" {
		t.Fatalf("verifySuites = %v", got)
	}
}
