package audithttp_test

import (
	"net/http"
	"testing"

	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

func TestExport(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{MaxPage: 6})
	v, err := verify.New(origin, l.cp.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(t *testing.T, query string) *verify.Bundle {
		t.Helper()
		rec := l.get(t, "/audit/export?"+query)
		if rec.Code != http.StatusOK {
			t.Fatalf("export %s = %d %s", query, rec.Code, rec.Body)
		}
		b, err := verify.ParseBundle(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// An auditor verifies the first six entries, then the rest since size 6.
	first := fetch(t, "")
	if first.From != 0 || first.To != 6 || len(first.Entries) != 6 {
		t.Fatalf("default page [%d, %d) with %d entries", first.From, first.To, len(first.Entries))
	}
	st, err := v.Verify(verify.State{}, first)
	if err != nil {
		t.Fatal(err)
	}
	rest := fetch(t, "from=6&to=10&since=6")
	if rest.Consistency == nil || rest.Consistency.From != 6 {
		t.Fatalf("consistency = %+v", rest.Consistency)
	}
	if _, err := v.Verify(st, rest); err != nil {
		t.Fatal(err)
	}
	if whole := fetch(t, "from=4&to=10&since=10"); whole.Consistency != nil {
		t.Fatal("consistency proof from the checkpoint's own size")
	}
	checkProblems(t, l, []problemCase{
		{"from after to", "/audit/export?from=5&to=4", http.StatusBadRequest},
		{"to beyond the tree", "/audit/export?from=5&to=11", http.StatusBadRequest},
		{"since beyond the tree", "/audit/export?since=11", http.StatusBadRequest},
		{"page too large", "/audit/export?from=0&to=7", http.StatusBadRequest},
		{"zero to", "/audit/export?to=0", http.StatusBadRequest},
		{"bad since", "/audit/export?since=x", http.StatusBadRequest},
		{"bad from", "/audit/export?from=1.0", http.StatusBadRequest},
	})
}

func TestExportWithoutCheckpoint(t *testing.T) {
	l := newTestLog(t, 0, audithttp.Config{})
	l.store.SaveCheckpoint(t.Context(), nil) //nolint:errcheck // memstore never fails
	if rec := l.get(t, "/audit/export"); rec.Code != http.StatusBadRequest {
		t.Fatalf("export before any checkpoint = %d %s", rec.Code, rec.Body)
	}
}
