package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestAgentLinkUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no DIDs", []string{"link"}},
		{"no successor", []string{"link", "--from", "did:kakunin:a"}},
		{"no predecessor", []string{"link", "--to", "did:kakunin:b"}},
		{"another method", []string{"link", "--from", "did:kakunin:a", "--to", "did:key:z6Mk"}},
		{"stray argument", []string{"link", "--from", "did:kakunin:a", "--to", "did:kakunin:b", "extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ue usageError
			if _, err := cli(t, runAgent, nil, tt.args...); !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
}

// linkView is what a resolution over HTTP says of a link.
type linkView struct {
	status      int
	versionID   string
	alsoKnownAs []string
	predecessor string
	successor   string
}

func resolveLink(t *testing.T, base, id, versionID string) linkView {
	t.Helper()
	u := base + "/1.0/identifiers/" + url.QueryEscape(id)
	if versionID != "" {
		u += "?versionId=" + versionID
	}
	code, _, body := fetch(t, http.MethodGet, u, "application/did-resolution", "", nil)
	var r struct {
		DIDDocument struct {
			AlsoKnownAs []string `json:"alsoKnownAs"`
		} `json:"didDocument"`
		Meta struct {
			VersionID string `json:"versionId"`
			Kakunin   struct {
				Predecessor string `json:"predecessor"`
				Successor   string `json:"successor"`
			} `json:"kakunin"`
		} `json:"didDocumentMetadata"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("resolve %s: %d %v\n%s", u, code, err, body)
	}
	return linkView{status: code, versionID: r.Meta.VersionID, alsoKnownAs: r.DIDDocument.AlsoKnownAs,
		predecessor: r.Meta.Kakunin.Predecessor, successor: r.Meta.Kakunin.Successor}
}

// TestAgentLinkHSMOwner links two DIDs of an owner whose key is non-extractable
// in SoftHSM2 through `kakunin agent link`, then resolves both over HTTP: the
// link is signed through the HSM and verified at resolution.
func TestAgentLinkHSMOwner(t *testing.T) {
	tok := newHSMToken(t)
	dir := t.TempDir()
	if _, err := cli(t, runOwner, nil, "init", "--id", "hsm", "--key", tok.uri("hsm-ca"), "--alg", "ECDSA-P256", "--data-dir", dir); err != nil {
		t.Fatalf("owner init: %v", err)
	}
	in := startServe(t, "--addr", "127.0.0.1:0", "--data-dir", dir, "--demo=false")
	defer in.stop()
	m := tokenRE.FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no admin token in:\n%s", in.out)
	}
	lc := &lifecycle{t: t, in: in, vars: map[string]string{"KAKUNIN_TOKEN": m[1]}}
	conn := []string{"--server", in.base, "--owner", "hsm"}
	model := filepath.Join(dir, "m.bin")
	if err := os.WriteFile(model, []byte("weights"), 0o600); err != nil {
		t.Fatal(err)
	}
	var agents [3]enrolled
	for i := range agents {
		prompt := filepath.Join(dir, "p"+string(rune('0'+i))+".json")
		body := `{"salt":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","systemPrompt":"v` + string(rune('0'+i)) + `","tools":[],"config":{}}`
		if err := os.WriteFile(prompt, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		lc.agent(&agents[i], append([]string{"enroll", "--model", model, "--prompt", prompt,
			"--out", filepath.Join(dir, "agent"+string(rune('0'+i)))}, conn...)...)
	}
	old, next := agents[0].DID, agents[1].DID
	if old == next {
		t.Fatal("two prompts gave one DID")
	}

	var got linked
	lc.agent(&got, "link", "--server", in.base, "--from", old, "--to", next)
	if got.Predecessor != old || got.Successor != next || got.PredecessorVersion != 2 || got.SuccessorVersion != 2 {
		t.Fatalf("link --json = %+v", got)
	}
	out, err := cli(t, runAgent, lc.vars, "link", "--server", in.base, "--from", agents[2].DID, "--to", next)
	var pe *problemError
	if !errors.As(err, &pe) || pe.Status != http.StatusConflict {
		t.Errorf("second predecessor: %v %q, want a 409 problem", err, out)
	}

	tests := []struct {
		name, id, versionID string
		want                linkView
	}{
		{"successor", next, "", linkView{status: http.StatusOK, versionID: "2", alsoKnownAs: []string{old}, predecessor: old}},
		{"successor before the link", next, "1", linkView{status: http.StatusOK, versionID: "1"}},
		{"predecessor", old, "", linkView{status: http.StatusOK, versionID: "2", successor: next}},
		{"predecessor before the link", old, "1", linkView{status: http.StatusOK, versionID: "1"}},
		{"unlinked", agents[2].DID, "", linkView{status: http.StatusOK, versionID: "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := resolveLink(t, in.base, tc.id, tc.versionID)
			if v.status != tc.want.status || v.versionID != tc.want.versionID || !slices.Equal(v.alsoKnownAs, tc.want.alsoKnownAs) ||
				v.predecessor != tc.want.predecessor || v.successor != tc.want.successor {
				t.Errorf("resolution = %+v, want %+v", v, tc.want)
			}
		})
	}

	// Deactivating the predecessor ends alsoKnownAs; the link stays reported.
	var deact deactivated
	lc.agent(&deact, "deactivate", "--server", in.base, "--did", old)
	v := resolveLink(t, in.base, next, "")
	if v.predecessor != old || len(v.alsoKnownAs) != 0 {
		t.Errorf("after deactivating the predecessor: %+v", v)
	}
	if _, err := cli(t, runAgent, lc.vars, "link", "--server", in.base, "--from", agents[2].DID, "--to", old); !errors.As(err, &pe) ||
		pe.Status != http.StatusConflict || !strings.Contains(pe.Error(), "deactivated") {
		t.Errorf("link to a deactivated DID: %v, want a 409 problem", err)
	}
}
