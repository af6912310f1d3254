package audithttp_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
)

func hashes(t *testing.T, bs [][]byte) tlog.TreeProof {
	t.Helper()
	out := make(tlog.TreeProof, len(bs))
	for i, b := range bs {
		if len(b) != len(out[i]) {
			t.Fatalf("hash of %d bytes", len(b))
		}
		copy(out[i][:], b)
	}
	return out
}

func TestInclusionProof(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	root, err := audit.TreeHash(context.Background(), l.store, 7)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := entry(5).Encode()
	leaf := audit.LeafHash(data)
	for name, q := range map[string]string{
		"by index":            "index=5&size=7",
		"by hex leaf hash":    "leafHash=" + hex.EncodeToString(leaf[:]) + "&size=7",
		"by base64url hash":   "leafHash=" + base64.RawURLEncoding.EncodeToString(leaf[:]) + "&size=7",
		"by upper hex":        "leafHash=" + fmt.Sprintf("%X", leaf[:]) + "&size=7",
		"default size, sized": "index=5&size=7",
	} {
		t.Run(name, func(t *testing.T) {
			var p audithttp.InclusionProof
			l.getJSON(t, "/audit/proof/inclusion?"+q, &p)
			if p.Index != 5 || p.Size != 7 || string(p.LeafHash) != string(leaf[:]) {
				t.Fatalf("proof = %+v", p)
			}
			if err := tlog.CheckRecord(tlog.RecordProof(hashes(t, p.Proof)), 7, root, 5, leaf); err != nil {
				t.Fatal(err)
			}
		})
	}
	var p audithttp.InclusionProof
	l.getJSON(t, "/audit/proof/inclusion?index=2", &p)
	if p.Size != 10 {
		t.Fatalf("default size = %d, want the checkpoint's 10", p.Size)
	}
	unknown := audit.LeafHash([]byte("never logged"))
	checkProblems(t, l, []problemCase{
		{"neither index nor hash", "/audit/proof/inclusion?size=7", http.StatusBadRequest},
		{"both index and hash", "/audit/proof/inclusion?index=1&leafHash=" + hex.EncodeToString(leaf[:]), http.StatusBadRequest},
		{"bad index", "/audit/proof/inclusion?index=x", http.StatusBadRequest},
		{"bad size", "/audit/proof/inclusion?index=1&size=1e3", http.StatusBadRequest},
		{"index not below size", "/audit/proof/inclusion?index=7&size=7", http.StatusBadRequest},
		{"size beyond the tree", "/audit/proof/inclusion?index=1&size=11", http.StatusBadRequest},
		{"short leaf hash", "/audit/proof/inclusion?leafHash=abcd", http.StatusBadRequest},
		{"padded base64", "/audit/proof/inclusion?leafHash=" + base64.URLEncoding.EncodeToString(leaf[:]), http.StatusBadRequest},
		{"unknown leaf hash", "/audit/proof/inclusion?leafHash=" + hex.EncodeToString(unknown[:]), http.StatusNotFound},
		{"leaf after size", "/audit/proof/inclusion?size=5&leafHash=" + hex.EncodeToString(leaf[:]), http.StatusNotFound},
	})
}

func TestConsistencyProof(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	ctx := context.Background()
	for _, tc := range []struct {
		query    string
		from, to int64
	}{{"from=3&to=9", 3, 9}, {"from=4", 4, 10}, {"from=0&to=5", 0, 5}, {"from=6&to=6", 6, 6}} {
		t.Run(tc.query, func(t *testing.T) {
			var p audithttp.ConsistencyProof
			l.getJSON(t, "/audit/proof/consistency?"+tc.query, &p)
			if p.From != uint64(tc.from) || p.To != uint64(tc.to) {
				t.Fatalf("proof = %+v", p)
			}
			if tc.from == 0 || tc.from == tc.to {
				if len(p.Proof) != 0 {
					t.Fatalf("trivial proof has %d hashes", len(p.Proof))
				}
				return
			}
			oldRoot, _ := audit.TreeHash(ctx, l.store, uint64(tc.from))
			newRoot, _ := audit.TreeHash(ctx, l.store, uint64(tc.to))
			if err := tlog.CheckTree(hashes(t, p.Proof), tc.to, newRoot, tc.from, oldRoot); err != nil {
				t.Fatal(err)
			}
		})
	}
	checkProblems(t, l, []problemCase{
		{"missing from", "/audit/proof/consistency?to=5", http.StatusBadRequest},
		{"from after to", "/audit/proof/consistency?from=6&to=5", http.StatusBadRequest},
		{"to beyond the tree", "/audit/proof/consistency?from=1&to=11", http.StatusBadRequest},
		{"bad to", "/audit/proof/consistency?from=1&to=+5", http.StatusBadRequest},
	})
}
