package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func idemTx(tx store.Tx) (store.IdempotencyTx, error) {
	t, ok := tx.(store.IdempotencyTx)
	if !ok {
		return nil, errNoCredentials
	}
	return t, nil
}

func idemReader(t testing.TB, db store.DB) store.IdempotencyReader {
	t.Helper()
	r, ok := db.(store.IdempotencyReader)
	if !ok {
		t.Fatal("the DB does not implement store.IdempotencyReader")
	}
	return r
}

// request is the idempotency record of a request with the given body, made at
// minute m with key k, whose response is 201 and the body echoed.
func request(k, body string, m int) store.Idempotent {
	return store.Idempotent{TenantID: "acme", Key: k, RequestHash: sha256.Sum256([]byte(body)),
		Status: 201, Body: []byte("response to " + body), Created: at(m), Expires: at(m + 60)}
}

// perform is a write request made with an idempotency key: it records a
// credential and the response in one transaction.
func perform(db store.DB, credentialID string, r store.Idempotent) error {
	return db.Tx(ctx, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		it, err := idemTx(tx)
		if err != nil {
			return err
		}
		if err := ct.PutCredential(ctx, credential(credentialID, "did:a")); err != nil {
			return err
		}
		return it.PutIdempotent(ctx, r)
	})
}

func testIdempotency(t *testing.T, db store.DB) {
	first := request("k1", "issue A", 0)
	if err := perform(db, "c1", first); err != nil {
		t.Fatal(err)
	}
	lookup := func(body string, m int) error {
		return idemReader(t, db).IdempotentResponse(ctx, "acme", "k1", sha256.Sum256([]byte(body)), at(m))
	}
	var replay *store.ReplayError
	if err := lookup("issue A", 30); !errors.As(err, &replay) || !errors.Is(err, store.ErrReplay) ||
		replay.Stored.Status != 201 || string(replay.Stored.Body) != "response to issue A" ||
		replay.Stored.RequestHash != first.RequestHash || !replay.Stored.Expires.Equal(micro(at(60))) {
		t.Fatalf("IdempotentResponse(same request) = %v, want the stored response", err)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"lookup of another request", lookup("issue B", 30), store.ErrConflict},
		{"lookup after expiry", lookup("issue A", 60), store.ErrNotFound},
		{"lookup of an unused key", idemReader(t, db).IdempotentResponse(ctx, "other", "k1",
			first.RequestHash, at(1)), store.ErrNotFound},
		{"same request again", perform(db, "c2", request("k1", "issue A", 10)), store.ErrReplay},
		{"another request", perform(db, "c3", request("k1", "issue B", 10)), store.ErrConflict},
		{"same key, other tenant", perform(db, "c4", func() store.Idempotent {
			r := request("k1", "issue B", 10)
			r.TenantID = "other"
			return r
		}()), nil},
		{"after expiry", perform(db, "c5", request("k1", "issue B", 61)), nil},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	r := credReader(t, db)
	for id, kept := range map[string]bool{"c1": true, "c2": false, "c3": false, "c4": true, "c5": true} {
		if _, err := r.Credential(ctx, id); (err == nil) != kept {
			t.Errorf("credential %s: %v; kept should be %v (a refused key must roll its write back)", id, err, kept)
		}
	}
	if err := lookup("issue B", 62); !errors.Is(err, store.ErrReplay) {
		t.Errorf("the replaced key = %v, want the new request's response", err)
	}
	bad := first
	bad.Status = 99
	wantErr(t, perform(db, "c6", bad), store.ErrInvalid)
}

// testIdempotencyRace sends one request 16 times at once: one write commits,
// every other gets the stored response.
func testIdempotencyRace(t *testing.T, db store.DB) {
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = perform(db, fmt.Sprintf("c%d", i), request("k", "issue", 0)) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrReplay):
			t.Errorf("request %d: %v, want nil or ErrReplay", i, err)
		}
	}
	got, err := credReader(t, db).CredentialsBySubject(ctx, "did:a")
	if won != 1 || err != nil || len(got) != 1 {
		t.Errorf("%d requests won, %d credentials recorded (%v); want 1 and 1", won, len(got), err)
	}
}

func testIdempotencyPurge(t *testing.T, db store.DB) {
	for i := range 5 {
		if err := perform(db, fmt.Sprintf("c%d", i), request(fmt.Sprintf("k%d", i), "r", i*10)); err != nil {
			t.Fatal(err)
		}
	}
	purge := func(now time.Time, limit int) (n int64) {
		err := db.Tx(ctx, func(tx store.Tx) (err error) {
			it, err := idemTx(tx)
			if err == nil {
				n, err = it.PurgeIdempotent(ctx, now, limit)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Keys expire at minutes 60, 70, …, 100.
	if n := purge(at(80), 2); n != 2 {
		t.Errorf("purge with limit 2 deleted %d, want 2", n)
	}
	if n := purge(at(80), 10); n != 1 {
		t.Errorf("second purge deleted %d, want 1 (the key expiring at 80)", n)
	}
	for i, want := range []error{store.ErrNotFound, store.ErrNotFound, store.ErrNotFound, store.ErrReplay, store.ErrReplay} {
		err := idemReader(t, db).IdempotentResponse(ctx, "acme", fmt.Sprintf("k%d", i), sha256.Sum256([]byte("r")), at(0))
		if !errors.Is(err, want) {
			t.Errorf("key k%d after purge: %v, want %v", i, err, want)
		}
	}
	err := db.Tx(ctx, func(tx store.Tx) error {
		it, err := idemTx(tx)
		if err == nil {
			_, err = it.PurgeIdempotent(ctx, at(0), 0)
		}
		return err
	})
	wantErr(t, err, store.ErrInvalid)
}
