package audithttp_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"net/http"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
)

func keysOf(t testing.TB, seeds ...byte) *audit.Checkpointer {
	t.Helper()
	keys := make([]crypto.Signer, len(seeds))
	for i, s := range seeds {
		keys[i] = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{s}, ed25519.SeedSize))
	}
	c, err := audit.NewCheckpointer(origin, keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestKeyRotation serves a log whose checkpoint the old key (7) signed with
// the new key (8) current and the old one retired, then with the new alone
// once the log has grown.
func TestKeyRotation(t *testing.T) {
	l := newTestLog(t, 3, audithttp.Config{}) // signed by key 7, checkpointer's
	oldKey, newKey := keysOf(t, 7).VerifierKey(), keysOf(t, 8).VerifierKey()
	for _, step := range []struct {
		name  string
		seeds []byte
		keys  string
		size  int
	}{
		{"transition", []byte{8, 7}, newKey + "\n" + oldKey + "\n", 3},
		{"old key dropped", []byte{8}, newKey + "\n", 4},
	} {
		t.Run(step.name, func(t *testing.T) {
			l.cp = keysOf(t, step.seeds...)
			l.now = l.now.Add(time.Minute)
			h, err := audithttp.New(audithttp.Memory(l.store), l.cp, audithttp.Config{Now: func() time.Time { return l.now }})
			if err != nil {
				t.Fatal(err)
			}
			l.h = serve(h)
			// Reads answer about the stored checkpoint, signed by the former keys.
			if rec := l.get(t, "/audit/entries?start=0&end=3"); rec.Code != http.StatusOK {
				t.Fatalf("entries = %d %s", rec.Code, rec.Body)
			}
			if rec := l.get(t, "/audit/key"); rec.Code != http.StatusOK || rec.Body.String() != newKey+"\n" {
				t.Errorf("key = %d %q, want the new key", rec.Code, rec.Body)
			}
			rec := l.get(t, "/audit/keys")
			if rec.Code != http.StatusOK || rec.Body.String() != step.keys || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("keys = %d %q %q, want %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body, step.keys)
			}
			// In the transition the tree has not grown: the checkpoint is signed
			// again because a key was added. The signature of a dropped key goes
			// with the next checkpoint.
			l.grow(t, step.size)
			rec = l.get(t, "/audit/checkpoint")
			if rec.Code != http.StatusOK {
				t.Fatalf("checkpoint = %d %s", rec.Code, rec.Body)
			}
			for _, seed := range []byte{7, 8} {
				v, _ := note.NewVerifier(keysOf(t, seed).VerifierKey())
				_, err := audit.OpenCheckpoint(rec.Body.Bytes(), origin, v)
				if signs := bytes.Contains(step.seeds, []byte{seed}); (err == nil) != signs {
					t.Errorf("checkpoint opened with key %d: %v; want signed = %v", seed, err, signs)
				}
			}
		})
	}
}
