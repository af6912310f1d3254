package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

func ownerKey(seed string) ed25519.PrivateKey { return ed25519Key(seed, "owner-ca") }

// writeExample writes a two-file model and a prompt manifest and returns the DID of
// that configuration under the corpus owner key.
func writeExample(dir, seed string) (kakunin.ID, Example, error) {
	modelDir := filepath.Join(dir, "model")
	if err := os.MkdirAll(modelDir, 0o755); err != nil {
		return kakunin.ID{}, Example{}, err
	}
	weights := make([]byte, 4096)
	stream(seed, "weights").Read(weights)
	files := map[string][]byte{
		"config.json":       []byte(`{"architecture":"example","layers":2}` + "\n"),
		"model.safetensors": weights,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(modelDir, name), data, 0o644); err != nil {
			return kakunin.ID{}, Example{}, err
		}
	}
	salt, err := kakunin.NewSalt(stream(seed, "prompt-salt"))
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	pm := kakunin.PromptManifest{
		Salt:         salt,
		SystemPrompt: "You are the invoice-checking agent of Example Corp. Never approve a payment.",
		Tools:        []json.RawMessage{json.RawMessage(`{"name":"lookup_invoice","parameters":{"type":"object","properties":{"id":{"type":"string"}}}}`)},
		Config:       json.RawMessage(`{"temperature":0,"maxOutputTokens":1024}`),
	}
	promptJSON, err := pm.Canonical()
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "prompt.json"), append(promptJSON, '\n'), 0o644); err != nil {
		return kakunin.ID{}, Example{}, err
	}
	return exampleID(modelDir, pm, promptJSON, seed)
}

func exampleID(modelDir string, pm kakunin.PromptManifest, promptJSON []byte, seed string) (kakunin.ID, Example, error) {
	manifest, err := kakunin.NewModelManifest(os.DirFS(modelDir), kakunin.DigestOptions{})
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	manifestJSON, err := manifest.Canonical()
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	model, err := manifest.Digest()
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	prompt, err := pm.Digest()
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	owner := ownerKey(seed).Public().(ed25519.PublicKey)
	id, err := kakunin.New(model, prompt, owner)
	if err != nil {
		return kakunin.ID{}, Example{}, err
	}
	return id, Example{
		DID:            id.String(),
		ModelDigest:    model.String(),
		PromptDigest:   prompt.String(),
		OwnerMultikey:  id.OwnerMultikey(),
		HexOwnerDID:    "did:kakunin:" + model.String() + ":" + prompt.String() + ":" + hex.EncodeToString(owner),
		UpperCaseDID:   "did:kakunin:" + strings.ToUpper(model.String()) + ":" + strings.ToUpper(prompt.String()) + ":" + id.OwnerMultikey(),
		ModelManifest:  string(manifestJSON),
		PromptManifest: string(promptJSON),
	}, nil
}
