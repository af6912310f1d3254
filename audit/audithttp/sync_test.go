package audithttp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

func client(t *testing.T, h http.Handler) *audithttp.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := audithttp.NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func serverURL(tb testing.TB, l *testLog) string {
	srv := httptest.NewServer(l.h)
	tb.Cleanup(srv.Close)
	return srv.URL
}

func testVerifier(t *testing.T) *verify.Verifier {
	t.Helper()
	v, err := verify.New(origin, checkpointer(t).VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestClientVerifyHonestLog(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	c, v := client(t, l.h), testVerifier(t)
	st, n, err := c.Verify(t.Context(), v, verify.State{}, 3)
	if err != nil || st.Size() != 10 || n != 10 {
		t.Fatalf("first run: size %d, %d entries, %v", st.Size(), n, err)
	}
	l.grow(t, 15)
	l.now = l.now.Add(time.Minute)
	st, n, err = c.Verify(t.Context(), v, st, 0)
	if err != nil || st.Size() != 15 || n != 5 {
		t.Fatalf("second run: size %d, %d entries, %v", st.Size(), n, err)
	}
	if again, n, err := c.Verify(t.Context(), v, st, 0); err != nil || again.Size() != 15 || n != 0 {
		t.Fatalf("unchanged log: size %d, %d entries, %v", again.Size(), n, err)
	}
}

// The log grows between the checkpoint and the first page: the entries the
// larger checkpoint covers are verified before the state claims it.
func TestClientVerifyFollowsGrowthWhilePaging(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	var once sync.Once
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/audit/export" {
			once.Do(func() {
				l.grow(t, 14)
				if _, err := l.cp.Sign(context.Background(), l.store); err != nil {
					t.Error(err)
				}
			})
		}
		l.h.ServeHTTP(w, r)
	})
	st, n, err := client(t, h).Verify(t.Context(), testVerifier(t), verify.State{}, 4)
	if err != nil || st.Size() != 14 || n != 14 {
		t.Fatalf("size %d, %d entries, %v", st.Size(), n, err)
	}
}

// tamper returns a server over a copy of l's store changed by change.
func tamper(t *testing.T, l *testLog, change func(d *memstore.Data)) http.Handler {
	t.Helper()
	d := l.store.Data()
	change(&d)
	h, err := audithttp.New(audithttp.Memory(memstore.Load(d)), l.cp, audithttp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return serve(h)
}

func TestClientVerifyLocatesTampering(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	other, _ := entry(99).Encode()
	cases := []struct {
		name   string
		change func(d *memstore.Data)
		kind   error
		index  uint64
	}{
		{"changed entry", func(d *memstore.Data) { d.Entries[3] = other }, verify.ErrChangedEntry, 3},
		{"removed entry", func(d *memstore.Data) { d.Entries[5] = nil }, verify.ErrMissingEntry, 5},
		{"swapped entries", func(d *memstore.Data) { d.Entries[2], d.Entries[6] = d.Entries[6], d.Entries[2] }, verify.ErrReordered, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, _, err := client(t, tamper(t, l, tc.change)).Verify(t.Context(), testVerifier(t), verify.State{}, 0)
			var te *verify.TamperError
			if !errors.As(err, &te) || !errors.Is(err, tc.kind) || te.Index != tc.index {
				t.Fatalf("err = %v, want %v at %d", err, tc.kind, tc.index)
			}
			if st.Size() != 0 {
				t.Fatalf("state moved to %d on failure", st.Size())
			}
		})
	}
}

func TestClientVerifyDetectsRollbackAndFork(t *testing.T) {
	l := newTestLog(t, 10, audithttp.Config{})
	v := testVerifier(t)
	st, _, err := client(t, l.h).Verify(t.Context(), v, verify.State{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	smaller := newTestLog(t, 6, audithttp.Config{}) // same entries, same key, fewer
	if _, _, err := client(t, smaller.h).Verify(t.Context(), v, st, 0); !errors.Is(err, verify.ErrRollback) {
		t.Fatalf("rollback: %v", err)
	}
	fork := new(memstore.Store) // another history of 12 entries under the same key
	for i := range 12 {
		if _, err := audit.Append(t.Context(), fork, entry(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	h, err := audithttp.New(audithttp.Memory(fork), l.cp, audithttp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := client(t, serve(h)).Verify(t.Context(), v, st, 0); !errors.Is(err, verify.ErrInconsistent) {
		t.Fatalf("fork: %v", err)
	}
}

func TestClientErrors(t *testing.T) {
	for _, base := range []string{"ftp://x", "http://", "http://user:pw@host", ":"} {
		if _, err := audithttp.NewClient(base, nil); !errors.Is(err, audithttp.ErrBadParameter) || strings.Contains(err.Error(), "pw") {
			t.Errorf("NewClient(%q): %v", base, err)
		}
	}
	l := newTestLog(t, 3, audithttp.Config{})
	srv := httptest.NewServer(l.h)
	t.Cleanup(srv.Close)
	c, _ := audithttp.NewClient(srv.URL+"/prefix", srv.Client())
	var se *audithttp.StatusError
	if _, err := c.Checkpoint(t.Context()); !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Fatalf("wrong prefix: %v", err)
	}
	c, _ = audithttp.NewClient(srv.URL, srv.Client())
	if _, _, err := c.Export(t.Context(), audithttp.ExportQuery{From: 2, To: 9}); !errors.As(err, &se) || se.Status != http.StatusBadRequest || se.Detail == "" {
		t.Fatalf("bad range: %v", err)
	}
	huge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", verify.MaxCheckpointSize+1))) //nolint:errcheck // test server
	})
	if _, err := client(t, huge).Checkpoint(t.Context()); !errors.Is(err, audithttp.ErrTooLarge) {
		t.Fatalf("huge checkpoint: %v", err)
	}
}
