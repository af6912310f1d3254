package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
)

func TestEvidenceFlagAddsEntries(t *testing.T) {
	dir := t.TempDir()
	file := func(name, data string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, data)
		return p
	}
	one, two := file("one.json", `{"log": "a"}`), file("two.json", ` [{"log": "b"}, {"log": "c"}]`)
	tests := []struct {
		name   string
		claims string
		files  evidenceFiles
		want   []string // the logs of the evidence entries, in order
	}{
		{"no evidence yet", `{"assessor": {}}`, evidenceFiles{one}, []string{"a"}},
		{"appended to the claims' own", `{"evidence": [{"log": "z"}]}`, evidenceFiles{two, one}, []string{"z", "b", "c", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := withEvidence(json.RawMessage(tt.claims), tt.files)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Evidence []struct{ Log string } `json:"evidence"`
			}
			if err := json.Unmarshal(out, &got); err != nil || len(got.Evidence) != len(tt.want) {
				t.Fatalf("claims %s: %v", out, err)
			}
			for i, e := range got.Evidence {
				if e.Log != tt.want[i] {
					t.Errorf("evidence %d from %q, want %q", i, e.Log, tt.want[i])
				}
			}
		})
	}
	if out, err := withEvidence(json.RawMessage(`{"x": 1}`), nil); err != nil || string(out) != `{"x": 1}` {
		t.Errorf("without --evidence: %s, %v", out, err)
	}
}

func TestEvidenceFlagRefuses(t *testing.T) {
	dir := t.TempDir()
	number, obj := filepath.Join(dir, "n.json"), filepath.Join(dir, "o.json")
	writeFile(t, number, `1`)
	writeFile(t, obj, `{"log": "a"}`)
	tests := []struct {
		name, claims string
		files        evidenceFiles
	}{
		{"claims not an object", `[]`, evidenceFiles{obj}},
		{"claims null", `null`, evidenceFiles{obj}},
		{"claims' evidence not an array", `{"evidence": {}}`, evidenceFiles{obj}},
		{"evidence file of a number", `{}`, evidenceFiles{number}},
		{"missing evidence file", `{}`, evidenceFiles{filepath.Join(dir, "none.json")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if out, err := withEvidence(json.RawMessage(tt.claims), tt.files); err == nil {
				t.Fatalf("claims %s", out)
			}
		})
	}
	var ue usageError
	if _, _, err := runVCWith("", "issue", "--scope", obj, "--subject", "did:x:y", "--evidence", obj); !errors.As(err, &ue) {
		t.Errorf("--evidence with --scope: %v, want a usage error", err)
	}
}

// The issue request carries the evidence inside the claims.
func TestEvidenceFlagInRequest(t *testing.T) {
	dir := t.TempDir()
	claims, ev := filepath.Join(dir, "claims.json"), filepath.Join(dir, "evidence.json")
	writeFile(t, claims, `{"assessmentDate": "2026-11-20T09:00:00Z"}`)
	writeFile(t, ev, `{"type": ["KakuninAuditLogEvidence"]}`)
	f := issueFlags{compliance: claims, subject: "did:x:y", evidence: evidenceFiles{ev}}
	path, body, err := f.request()
	if err != nil || path != "/credentials/issue/compliance" {
		t.Fatalf("request: %s, %v", path, err)
	}
	data, _ := json.Marshal(body["claims"])
	if string(data) != `{"assessmentDate":"2026-11-20T09:00:00Z","evidence":[{"type":["KakuninAuditLogEvidence"]}]}` {
		t.Fatalf("claims sent: %s", data)
	}
}
