package audithttp_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
)

func TestEntries(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{MaxPage: 4})
	l.grow(t, 12) // beyond the signed tree: not served
	cases := []struct {
		name, query string
		first, n    int
		immutable   bool
	}{
		{"range", "start=2&end=5", 2, 3, true},
		{"default end is a page", "start=1", 1, 4, false},
		{"default end is the tree size", "start=8", 8, 2, false},
		{"empty range", "start=3&end=3", 3, 0, true},
		{"end of tree", "start=6&end=10", 6, 4, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var page audithttp.EntryPage
			rec := l.getJSON(t, "/audit/entries?"+tc.query, &page)
			if page.Size != 10 || len(page.Entries) != tc.n {
				t.Fatalf("size %d, %d entries, want 10, %d", page.Size, len(page.Entries), tc.n)
			}
			for i, e := range page.Entries {
				want, _ := entry(tc.first + i).Encode()
				h := audit.LeafHash(want)
				if e.Index != uint64(tc.first+i) || !bytes.Equal(e.Entry, want) || !bytes.Equal(e.LeafHash, h[:]) {
					t.Fatalf("entry %d = %+v", i, e)
				}
			}
			if got := rec.Header().Get("Cache-Control") == "public, max-age=31536000, immutable"; got != tc.immutable {
				t.Fatalf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
			}
		})
	}
	checkProblems(t, l, []problemCase{
		{"not a number", "/audit/entries?start=two", http.StatusBadRequest},
		{"negative", "/audit/entries?start=-1", http.StatusBadRequest},
		{"leading zero", "/audit/entries?start=01", http.StatusBadRequest},
		{"overflow", "/audit/entries?start=99999999999999999999", http.StatusBadRequest},
		{"start after end", "/audit/entries?start=5&end=3", http.StatusBadRequest},
		{"beyond the signed tree", "/audit/entries?start=8&end=11", http.StatusBadRequest},
		{"start beyond the tree", "/audit/entries?start=11", http.StatusBadRequest},
		{"page too large", "/audit/entries?start=0&end=5", http.StatusBadRequest},
	})
}

func TestDIDEntries(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	l.grow(t, 12) // index 10 is about agent1 but not yet signed
	path := "/audit/dids/" + url.PathEscape("did:example:agent1") + "/entries"
	var page audithttp.EntryPage
	l.getJSON(t, path, &page)
	if len(page.Entries) != 3 || page.Next != nil {
		t.Fatalf("page = %+v", page)
	}
	for i, e := range page.Entries {
		want, _ := entry(1 + 3*i).Encode()
		if e.Index != uint64(1+3*i) || !bytes.Equal(e.Entry, want) {
			t.Fatalf("entry %d = %d %s", i, e.Index, e.Entry)
		}
	}
	l.getJSON(t, path+"?from=2&limit=1", &page)
	if len(page.Entries) != 1 || page.Entries[0].Index != 4 || page.Next == nil || *page.Next != 5 {
		t.Fatalf("first page of one = %+v", page)
	}
	l.getJSON(t, "/audit/dids/did%3Aexample%3Anobody/entries", &page)
	if len(page.Entries) != 0 || page.Entries == nil {
		t.Fatalf("unknown DID = %+v", page)
	}
	checkProblems(t, l, []problemCase{
		{"not a DID", "/audit/dids/agent1/entries", http.StatusBadRequest},
		{"DID too long", "/audit/dids/did:x:" + strings.Repeat("a", 2048) + "/entries", http.StatusBadRequest},
		{"zero limit", path + "?limit=0", http.StatusBadRequest},
		{"limit too large", path + "?limit=1001", http.StatusBadRequest},
		{"bad from", path + "?from=x", http.StatusBadRequest},
	})
}
