package kakunin

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestPromptManifestExample(t *testing.T) {
	var ex struct{ PromptDigest, PromptManifest string }
	readJSON(t, "testdata/corpus/example.json", &ex)
	raw, err := os.ReadFile(filepath.Join("testdata", "example", "prompt.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParsePromptManifest(raw)
	if err != nil {
		t.Fatal(err)
	}
	d, err := m.Digest()
	if err != nil || d.String() != ex.PromptDigest || d != sha256.Sum256([]byte(ex.PromptManifest)) {
		t.Fatalf("prompt digest %v, %v; want %s", d, err, ex.PromptDigest)
	}
}

func TestParsePromptManifestErrors(t *testing.T) {
	salt, _ := NewSalt(bytes.NewReader(make([]byte, SaltSize)))
	ok := `"salt":"` + salt + `","systemPrompt":"p","tools":[],"config":{}`
	tests := []struct{ name, in string }{
		{"not JSON", `{`},
		{"missing tools", `{"salt":"` + salt + `","systemPrompt":"p","config":{}}`},
		{"missing systemPrompt", `{"salt":"` + salt + `","tools":[],"config":{}}`},
		{"null tools", `{"salt":"` + salt + `","systemPrompt":"p","tools":null,"config":{}}`},
		{"config not an object", `{"salt":"` + salt + `","systemPrompt":"p","tools":[],"config":[]}`},
		{"unknown member", `{` + ok + `,"extra":1}`},
		{"duplicate member", `{` + ok + `,"config":{}}`},
		{"short salt", `{"salt":"AAAA","systemPrompt":"p","tools":[],"config":{}}`},
		{"padded salt", `{"salt":"` + salt + `=","systemPrompt":"p","tools":[],"config":{}}`},
		{"too large", `{` + ok + `,"x":"` + string(bytes.Repeat([]byte("a"), MaxPromptManifest)) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePromptManifest([]byte(tt.in)); !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("got %v, want ErrInvalidManifest", err)
			}
		})
	}
	if _, err := ParsePromptManifest([]byte(`{` + ok + `}`)); err != nil {
		t.Fatalf("minimal manifest: %v", err)
	}
}

func TestPromptTextDigest(t *testing.T) {
	// The first publication's example prompt hash is the SHA-256 of the empty string.
	if got := PromptTextDigest("").String(); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatal(got)
	}
}
