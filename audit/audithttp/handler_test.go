package audithttp_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
)

// openCheckpoint fetches /audit/checkpoint and verifies it with the log key.
func openCheckpoint(t *testing.T, l *testLog) audit.Checkpoint {
	t.Helper()
	rec := l.get(t, "/audit/checkpoint")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("checkpoint = %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	v, err := note.NewVerifier(l.cp.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	c, err := audit.OpenCheckpoint(rec.Body.Bytes(), origin, v)
	if err != nil {
		t.Fatalf("open %s: %v", rec.Body, err)
	}
	return c
}

func TestCheckpointSignsOnDemand(t *testing.T) {
	l := newTestLog(t, 3, audithttp.Config{SignInterval: 10 * time.Second})
	l.grow(t, 5) // not yet signed: the handler signs on the first request
	if c := openCheckpoint(t, l); c.Size != 5 {
		t.Fatalf("size = %d, want 5", c.Size)
	}
	if cc := l.get(t, "/audit/checkpoint").Header().Get("Cache-Control"); cc != "public, max-age=10" {
		t.Fatalf("Cache-Control = %q", cc)
	}
	l.grow(t, 8)
	l.now = l.now.Add(9 * time.Second)
	if c := openCheckpoint(t, l); c.Size != 5 {
		t.Fatalf("within the interval: size = %d, want the cached 5", c.Size)
	}
	l.now = l.now.Add(time.Second)
	if c := openCheckpoint(t, l); c.Size != 8 {
		t.Fatalf("after the interval: size = %d, want 8", c.Size)
	}
}

func TestCheckpointOfEmptyLog(t *testing.T) {
	l := newTestLog(t, 0, audithttp.Config{})
	if c := openCheckpoint(t, l); c.Size != 0 {
		t.Fatalf("size = %d", c.Size)
	}
}

// A store rolled back below its last signed checkpoint is never signed: the
// endpoint fails rather than publish a smaller tree.
func TestCheckpointRefusesRolledBackStore(t *testing.T) {
	l := newTestLog(t, 6, audithttp.Config{})
	d := l.store.Data()
	d.Entries, d.Subjects = d.Entries[:4], d.Subjects[:4]
	d.Hashes = d.Hashes[:tlogStoredHashCount(4)]
	rolled := memstore.Load(d)
	err := rolled.Update(func(tx audit.Tx) error {
		_, err := l.cp.Sign(context.Background(), tx)
		return err
	})
	if !errors.Is(err, audit.ErrSmallerTree) {
		t.Fatalf("Sign of the rolled-back store: %v", err)
	}
	h, err := audithttp.New(audithttp.Memory(rolled), l.cp, audithttp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	l.h = serve(h)
	if rec := l.get(t, "/audit/checkpoint"); rec.Code != http.StatusInternalServerError {
		t.Fatalf("checkpoint of a rolled-back store = %d %s", rec.Code, rec.Body)
	}
}

func TestKey(t *testing.T) {
	l := newTestLog(t, 1, audithttp.Config{})
	rec := l.get(t, "/audit/key")
	if rec.Code != http.StatusOK || rec.Body.String() != l.cp.VerifierKey()+"\n" {
		t.Fatalf("key = %d %q", rec.Code, rec.Body)
	}
	if _, err := note.NewVerifier(strings.TrimSpace(rec.Body.String())); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsNil(t *testing.T) {
	if _, err := audithttp.New(nil, checkpointer(t), audithttp.Config{}); err == nil {
		t.Fatal("New accepted a nil store")
	}
	if _, err := audithttp.New(audithttp.Memory(new(memstore.Store)), nil, audithttp.Config{}); err == nil {
		t.Fatal("New accepted a nil checkpointer")
	}
}

// Concurrent readers while the log grows each see checkpoints that verify and
// never shrink.
func TestCheckpointConcurrentNeverShrinks(t *testing.T) {
	l := newTestLog(t, 1, audithttp.Config{SignInterval: time.Nanosecond})
	v, err := note.NewVerifier(l.cp.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	var clock sync.Mutex
	tick := func() time.Time { clock.Lock(); defer clock.Unlock(); l.now = l.now.Add(time.Second); return l.now }
	h, err := audithttp.New(audithttp.Memory(l.store), l.cp, audithttp.Config{SignInterval: time.Nanosecond, Now: tick})
	if err != nil {
		t.Fatal(err)
	}
	l.h = serve(h)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var last uint64
			for range 20 {
				c, err := audit.OpenCheckpoint(l.get(t, "/audit/checkpoint").Body.Bytes(), origin, v)
				if err != nil {
					t.Error(err)
					return
				}
				if c.Size < last {
					t.Errorf("checkpoint shrank from %d to %d", last, c.Size)
				}
				last = c.Size
			}
		})
	}
	for i := 2; i <= 30; i++ {
		if err := l.store.Update(func(tx audit.Tx) error { _, err := audit.Append(t.Context(), tx, entry(i)); return err }); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
