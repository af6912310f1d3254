package issuer_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/internal/pgtest"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
	"github.com/kakunin-dev/kakunin/vc"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
)

// issueKillEnv carries the DSN to the re-executed test binary that issues until killed.
const issueKillEnv = "KAKUNIN_ISSUER_KILL_DSN"

// TestIssueDurability kill-tests issuance end to end: a helper process issues through
// Issuer.Issue on a SQL store (real signing, reserved status entries, group commit, the
// vc.issued audit entry and the idempotency record in the credential's transaction) from 8
// goroutines, printing each id it tries and each it was answered, and is killed with SIGKILL
// at random moments. After each round every answered issuance must be stored; stored
// credentials and vc.issued audit entries must match one to one; every stored credential must
// have its two status entries, none shared, and its idempotency record replaying it; and an
// issuance that was tried but not stored must have left no idempotency record.
func TestIssueDurability(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		issueDurability(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "kakunin.db") },
			func(ctx context.Context, path string) (store.DB, error) {
				return sqlite.Open(ctx, path, sqlite.Options{})
			})
	})
	t.Run("postgres", func(t *testing.T) { // skipped by pgtest.Schema when KAKUNIN_TEST_POSTGRES is unset
		issueDurability(t, func(t *testing.T) string { return pgtest.Schema(t, "kakunin_issuer_kill") },
			func(ctx context.Context, dsn string) (store.DB, error) {
				return postgres.Open(ctx, dsn, postgres.Options{})
			})
	})
}

func issueDurability(t *testing.T, newDSN func(t *testing.T) string,
	open func(ctx context.Context, dsn string) (store.DB, error)) {
	openStore := func(t *testing.T, dsn string) (store.DB, issuer.Store) {
		db, err := open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		st, err := issuer.NewSQLStore(db)
		if err != nil {
			t.Fatal(err)
		}
		return db, st
	}
	if dsn := os.Getenv(issueKillEnv); dsn != "" {
		_, st := openStore(t, dsn)
		issueUntilKilled(t, issuertest.NewWithStore(t, st))
		return
	}
	dsn := newDSN(t)
	agent := issuertest.New(t).Agent // the helper's subject: the keys are fixed
	answered, tried := map[string]bool{}, map[string]bool{}
	for r := range 3 {
		storetest.KillHelper(t, issueKillEnv, dsn, 5+rand.IntN(40), func(line string) bool {
			kind, id, _ := strings.Cut(line, " ")
			switch kind {
			case "try":
				tried[id] = true
			case "ack":
				answered[id] = true
			}
			return kind == "ack"
		})
		db, st := openStore(t, dsn)
		n := checkIssuedOnce(t, db, st, agent, answered, tried)
		t.Logf("round %d: %d issuances tried, %d answered, %d stored", r, len(tried), len(answered), n)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(answered) == 0 {
		t.Fatal("the helper answered no issuance")
	}
}

// idemKey is the idempotency key of the issuance of credential id.
func idemKey(id string) (string, [sha256.Size]byte) {
	key := "key-" + strings.TrimPrefix(id, "urn:kill:")
	return key, sha256.Sum256([]byte(key))
}

// issueUntilKilled is the helper: goroutines issue credentials with idempotency keys,
// printing "try <id>" before each and "ack <id>" once answered. Ids carry the process id, so
// rounds do not collide. It stops by itself after a few seconds in case nobody kills it.
func issueUntilKilled(t *testing.T, e *issuertest.Env) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	say := func(kind, id string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf("%s %s\n", kind, id)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				id := fmt.Sprintf("urn:kill:%d-%d", os.Getpid(), next.Add(1))
				key, hash := idemKey(id)
				say("try", id)
				_, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: issuertest.Credential(e.Agent),
					CredentialID: id, Caller: e.Caller,
					Idempotency: func(out *issuer.Issued, now time.Time) (store.Idempotent, error) {
						return store.Idempotent{TenantID: e.Caller.Tenant, Key: key, RequestHash: hash, Status: 201,
							Body: []byte(out.ID), Created: now, Expires: now.Add(24 * time.Hour)}, nil
					}})
				if err != nil {
					t.Errorf("issuing %s: %v", id, err)
					return
				}
				say("ack", id)
			}
		})
	}
	wg.Wait()
}

// checkIssuedOnce checks the store after a kill and returns how many credentials it holds.
func checkIssuedOnce(t *testing.T, db store.DB, st issuer.Store, agent string, answered, tried map[string]bool) int {
	creds, err := st.CredentialsBySubject(context.Background(), agent)
	if err != nil {
		t.Fatal(err)
	}
	issued := issuedDigests(t, db.(store.AuditDB), agent)
	stored := map[string]bool{}
	entries := map[string]string{}
	for _, c := range creds {
		stored[c.ID] = true
		if issued[audit.SHA256(c.Data)]--; issued[audit.SHA256(c.Data)] < 0 {
			t.Errorf("credential %s has no vc.issued audit entry of its own", c.ID)
		}
		if len(c.Status) != 2 {
			t.Errorf("credential %s has %d status entries, want 2", c.ID, len(c.Status))
		}
		for _, e := range c.Status {
			k := fmt.Sprintf("%s/%d", e.ListID, e.Index)
			if other, dup := entries[k]; dup {
				t.Errorf("status entry %s belongs to %s and %s", k, other, c.ID)
			}
			entries[k] = c.ID
		}
		checkSigned(t, c)
	}
	for d, n := range issued {
		if n > 0 {
			t.Errorf("%d vc.issued audit entries of digest %s have no stored credential", n, d)
		}
	}
	for id := range tried {
		switch {
		case answered[id] && !stored[id]:
			t.Errorf("answered issuance %s is lost", id)
		case !checkIdempotent(t, db, id, stored[id]):
			t.Errorf("issuance %s (stored %t) and its idempotency record disagree", id, stored[id])
		}
	}
	return len(creds)
}

// issuedDigests counts the digests of the vc.issued audit entries.
func issuedDigests(t *testing.T, log store.AuditDB, agent string) map[audit.Digest]int {
	t.Helper()
	out := map[audit.Digest]int{}
	for from := uint64(0); ; {
		page, err := log.EntriesForDID(context.Background(), agent, from, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		for _, s := range page {
			e, err := audit.ParseEntry(s.Entry)
			if err != nil {
				t.Fatal(err)
			}
			if e.Type == audit.CredentialIssued {
				out[e.Digest]++
			}
		}
		from = page[len(page)-1].Index + 1
	}
}

// checkIdempotent reports whether the idempotency record of the issuance of id exists
// exactly when the credential is stored, and then replays it.
func checkIdempotent(t *testing.T, db store.DB, id string, stored bool) bool {
	t.Helper()
	key, hash := idemKey(id)
	err := db.(store.IdempotencyReader).IdempotentResponse(context.Background(), issuertest.Tenant, key, hash,
		issuertest.Start)
	var replay *store.ReplayError
	switch {
	case errors.As(err, &replay):
		return stored && string(replay.Stored.Body) == id
	case errors.Is(err, store.ErrNotFound):
		return !stored
	}
	t.Fatalf("idempotency record of %s: %v", id, err)
	return false
}

// checkSigned checks that a stored credential is the signed one: it parses and carries a
// Data Integrity proof.
func checkSigned(t *testing.T, rec store.Credential) {
	t.Helper()
	c, err := vc.ParseCredential(rec.Data, vc.ParseOptions{})
	if err != nil {
		t.Fatalf("stored credential %s: %v", rec.ID, err)
	}
	proof, _ := c.Get("proof")
	if p, _ := proof.(map[string]any); p["cryptosuite"] != "eddsa-rdfc-2022" {
		t.Errorf("stored credential %s: proof %v", rec.ID, proof)
	}
}
