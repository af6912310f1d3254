package audithttp_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/server"
)

const origin = "kakunin.example/audit"

func checkpointer(t testing.TB) *audit.Checkpointer {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	c, err := audit.NewCheckpointer(origin, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func entry(i int) audit.Entry {
	return audit.Entry{
		Type:    audit.CertIssued,
		Time:    time.Date(2026, 11, 26, 8, 0, i, 0, time.UTC),
		Actor:   "did:example:owner",
		Tenant:  "tenant-1",
		Subject: fmt.Sprintf("did:example:agent%d", i%3),
		Digest:  audit.SHA256(fmt.Append(nil, i)),
	}
}

// testLog is a memstore log behind the full server stack, with a fake clock.
type testLog struct {
	store *memstore.Store
	cp    *audit.Checkpointer
	now   time.Time
	h     http.Handler
}

// newTestLog appends n entries and signs a checkpoint of them.
func newTestLog(t testing.TB, n int, cfg audithttp.Config) *testLog {
	t.Helper()
	l := &testLog{store: new(memstore.Store), cp: checkpointer(t), now: time.Unix(1_800_000_000, 0)}
	l.grow(t, n)
	if _, err := l.cp.Sign(context.Background(), l.store); err != nil {
		t.Fatal(err)
	}
	cfg.Now = func() time.Time { return l.now }
	h, err := audithttp.New(audithttp.Memory(l.store), l.cp, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.h = serve(h)
	return l
}

// serve puts h behind the server stack, for its problem responses.
func serve(h *audithttp.Handler) http.Handler {
	return server.New(server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, h).Handler()
}

func tlogStoredHashCount(n int) int { return int(tlog.StoredHashCount(int64(n))) }

// grow appends entries up to size n, without signing.
func (l *testLog) grow(t testing.TB, n int) {
	t.Helper()
	ctx := context.Background()
	size, _ := l.store.LockTree(ctx)
	for i := int(size); i < n; i++ {
		if _, err := audit.Append(ctx, l.store, entry(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func (l *testLog) get(t testing.TB, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	l.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// getJSON fetches path, requires status 200 and decodes the answer into v.
func (l *testLog) getJSON(t testing.TB, path string, v any) *httptest.ResponseRecorder {
	t.Helper()
	rec := l.get(t, path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return rec
}

// problemCase is a request that must fail with an RFC 9457 problem.
type problemCase struct {
	name, path string
	status     int
}

func checkProblems(t *testing.T, l *testLog, cases []problemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := l.get(t, tc.path)
			var p server.Problem
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("GET %s = %d %q %s, want %d problem", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body, tc.status)
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != tc.status || p.Detail == "" {
				t.Fatalf("problem %s: %+v, %v", rec.Body, p, err)
			}
		})
	}
}
