// Command gencorpus writes the did:kakunin test corpus: an example model and prompt
// manifest, owner CAs, and agent certificate chains for the good path and for each
// failure VerifyChain must report. Output is a pure function of -seed, so running
// it twice yields identical files. Run it through `make golden` (go generate).
package main

import (
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Case is one entry of testdata/corpus/cases.json.
type Case struct {
	Name             string `json:"name"`
	Chain            string `json:"chain"`                      // PEM file, agent certificate first
	DID              string `json:"did"`                        // the DID the chain is verified against
	Time             string `json:"time"`                       // RFC 3339 validation time
	Want             string `json:"want"`                       // sentinel name, "" for success
	MaxValidity      string `json:"maxValidity,omitempty"`      // time.Duration
	TrustRoots       string `json:"trustRoots,omitempty"`       // PEM file
	RequireTrustRoot bool   `json:"requireTrustRoot,omitempty"` //
	WantTrust        string `json:"wantTrust,omitempty"`        // TrustResult.String()
}

// Example is testdata/corpus/example.json: the values the specification's examples
// show.
type Example struct {
	DID            string `json:"did"`
	ModelDigest    string `json:"modelDigest"`
	PromptDigest   string `json:"promptDigest"`
	OwnerMultikey  string `json:"ownerMultikey"`
	HexOwnerDID    string `json:"hexOwnerDid"`
	UpperCaseDID   string `json:"upperCaseDid"`
	ModelManifest  string `json:"modelManifest"`
	PromptManifest string `json:"promptManifest"`
}

func main() {
	out := flag.String("out", "testdata", "output directory")
	seed := flag.String("seed", "kakunin corpus v1", "seed of every key, serial and salt")
	flag.Parse()
	if err := run(*out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func run(out, seed string) error {
	id, ex, err := writeExample(filepath.Join(out, "example"), seed)
	if err != nil {
		return err
	}
	g := newGen(seed, id)
	cases := g.cases()
	dir := filepath.Join(out, "corpus")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, chain := range g.files {
		if err := writePEM(filepath.Join(dir, name), chain); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(dir, "cases.json"), cases); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "example.json"), ex)
}

func writePEM(name string, chain []*issued) error {
	var b []byte
	for _, c := range chain {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw})...)
	}
	return os.WriteFile(name, b, 0o644)
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(b, '\n'), 0o644)
}

// baseTime is the validation time of the corpus.
var baseTime = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }
