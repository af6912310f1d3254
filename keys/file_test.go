package keys

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileGenerateOpenSign(t *testing.T) {
	ctx := context.Background()
	for _, alg := range allAlgorithms {
		t.Run(alg.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "key.pem")
			gen, err := Generate(ctx, "file:"+path, alg)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			defer gen.Close()
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("mode = %04o, want 0600", perm)
			}
			opened, err := Open(ctx, path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer opened.Close()
			if opened.Algorithm() != alg || gen.Algorithm() != alg {
				t.Errorf("Algorithm = %v / %v, want %v", gen.Algorithm(), opened.Algorithm(), alg)
			}
			if !opened.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(gen.Public()) {
				t.Error("opened key differs from generated key")
			}
			signAndVerify(t, opened)
		})
	}
}

func TestFilePermissions(t *testing.T) {
	path := writeTestKey(t, 0o600)
	for _, tc := range []struct {
		mode os.FileMode
		want error
	}{
		{0o600, nil},
		{0o400, nil},
		{0o640, ErrInsecurePermissions},
		{0o604, ErrInsecurePermissions},
		{0o620, ErrInsecurePermissions},
		{0o644, ErrInsecurePermissions},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			s, err := Open(context.Background(), path)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open with mode %04o: err = %v, want %v", tc.mode, err, tc.want)
			}
			if err == nil {
				s.Close()
			} else if !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("error %q does not say how to fix it", err)
			}
		})
	}
}

func TestFileGenerateNeverReplaces(t *testing.T) {
	path := writeTestKey(t, 0o600)
	before, _ := os.ReadFile(path)
	_, err := Generate(context.Background(), path, ECDSAP256)
	if !errors.Is(err, ErrKeyExists) {
		t.Fatalf("Generate over an existing key: err = %v, want ErrKeyExists", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("existing key file was changed")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestFileInvalid(t *testing.T) {
	_, edKey, _ := ed25519.GenerateKey(nil)
	der, _ := x509.MarshalPKCS8PrivateKey(edKey)
	good := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrInvalidKey},
		{"not PEM", []byte("hello"), ErrInvalidKey},
		{"PKCS#1 block", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), ErrInvalidKey},
		{"bad PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x01, 0x00}}), ErrInvalidKey},
		{"trailing data", append(append([]byte{}, good...), "junk"...), ErrInvalidKey},
		{"too large", bytes.Repeat([]byte{'A'}, maxKeyFileSize+1), ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(context.Background(), path); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, err := Open(context.Background(), filepath.Join(dir, "absent.pem"))
		if !errors.Is(err, ErrKeyNotFound) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v, want ErrKeyNotFound and fs.ErrNotExist", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		sub := filepath.Join(dir, "sub")
		os.Mkdir(sub, 0o700)
		if _, err := Open(context.Background(), sub); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("err = %v, want ErrInvalidKey", err)
		}
	})
}

func TestFileURI(t *testing.T) {
	for _, tc := range []struct {
		uri, path string
		err       error
	}{
		{"/etc/k.pem", "/etc/k.pem", nil},
		{"rel/k.pem", "rel/k.pem", nil},
		{"file:/etc/k.pem", "/etc/k.pem", nil},
		{"file:///etc/k.pem", "/etc/k.pem", nil},
		{"file://localhost/etc/k.pem", "/etc/k.pem", nil},
		{"file:rel/k.pem", "rel/k.pem", nil},
		{"file://example.com/k.pem", "", ErrInvalidURI},
		{"file:/k.pem?x=1", "", ErrInvalidURI},
		{"file:", "", ErrInvalidURI},
		{"", "", ErrInvalidURI},
	} {
		t.Run(tc.uri, func(t *testing.T) {
			path, err := filePath(tc.uri)
			if !errors.Is(err, tc.err) || path != tc.path {
				t.Fatalf("filePath = %q, %v; want %q, %v", path, err, tc.path, tc.err)
			}
		})
	}
}

func TestSignerOptions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ed, err := Generate(ctx, filepath.Join(dir, "ed.pem"), Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := Generate(ctx, filepath.Join(dir, "ec.pem"), ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		s      Signer
		digest []byte
		opts   crypto.SignerOpts
	}{
		{"Ed25519 with hash", ed, make([]byte, 32), crypto.SHA256},
		{"Ed25519ph", ed, make([]byte, 64), &ed25519.Options{Hash: crypto.SHA512}},
		{"Ed25519ctx", ed, []byte("m"), &ed25519.Options{Context: "c"}},
		{"ECDSA without hash", ec, make([]byte, 32), crypto.Hash(0)},
		{"ECDSA short digest", ec, make([]byte, 20), crypto.SHA256},
		{"nil options", ec, make([]byte, 32), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.s.Sign(nil, tc.digest, tc.opts); !errors.Is(err, ErrInvalidSignerOpts) {
				t.Fatalf("err = %v, want ErrInvalidSignerOpts", err)
			}
		})
	}
	ed.Close()
	if _, err := ed.Sign(nil, []byte("m"), crypto.Hash(0)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Sign after Close: err = %v, want ErrClosed", err)
	}
	if err := ed.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestAlgorithmNames(t *testing.T) {
	for _, alg := range allAlgorithms {
		got, err := ParseAlgorithm(alg.String())
		if err != nil || got != alg {
			t.Errorf("ParseAlgorithm(%q) = %v, %v", alg.String(), got, err)
		}
	}
	if _, err := ParseAlgorithm("secp256k1"); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("ParseAlgorithm(secp256k1): err = %v", err)
	}
	if _, err := Generate(context.Background(), filepath.Join(t.TempDir(), "k"), Algorithm(99)); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("Generate(Algorithm(99)): err = %v", err)
	}
}

func writeTestKey(t *testing.T, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.pem")
	s, err := Generate(context.Background(), path, Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}
