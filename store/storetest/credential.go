package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// RunCredentials runs the conformance suite of issued credentials, status lists,
// API tokens and idempotency keys: the optional store.CredentialTx, TokenTx and
// IdempotencyTx interfaces (and their readers) of a backend. open is as for Run.
func RunCredentials(t *testing.T, open func(t *testing.T) store.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.DB)
	}{
		{"StatusAllocation", testStatusAllocation},
		{"StatusRollover", testStatusRollover},
		{"StatusCollision", testStatusCollision},
		{"StatusValues", testStatusValues},
		{"StatusSpecValidation", testStatusSpec},
		{"StatusReserve", testStatusReserve},
		{"HeldBatch", testHeldBatch},
		{"StatusRelease", testStatusRelease},
		{"Credentials", testCredentials},
		{"CredentialBinding", testCredentialBinding},
		{"CredentialInstance", testCredentialInstance},
		{"CredentialAtomicity", testCredentialAtomicity},
		{"CredentialValidation", testCredentialValidation},
		{"CredentialSubjects", testCredentialSubjects},
		{"SubjectFence", testSubjectFence},
		{"FenceInBatch", testFenceInBatch},
		{"FenceRace", func(t *testing.T, db store.DB) { RaceFence(t, []store.DB{db}, 3) }},
		{"Tokens", testTokens},
		{"TokenValidation", testTokenValidation},
		{"Idempotency", testIdempotency},
		{"IdempotencyRace", testIdempotencyRace},
		{"IdempotencyPurge", testIdempotencyPurge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// errNoCredentials is returned inside a transaction whose Tx lacks the
// optional interfaces, so that the test fails on the caller's goroutine.
var errNoCredentials = errors.New("the Tx does not implement store.CredentialTx")

func credTx(tx store.Tx) (store.CredentialTx, error) {
	c, ok := tx.(store.CredentialTx)
	if !ok {
		return nil, errNoCredentials
	}
	return c, nil
}

func credReader(t testing.TB, db store.DB) store.CredentialReader {
	t.Helper()
	r, ok := db.(store.CredentialReader)
	if !ok {
		t.Fatal("the DB does not implement store.CredentialReader")
	}
	return r
}

func statusReader(t testing.TB, db store.DB) store.StatusReader {
	t.Helper()
	r, ok := db.(store.StatusReader)
	if !ok {
		t.Fatal("the DB does not implement store.StatusReader")
	}
	return r
}

// spec is a list spec of instance "i1" for purpose p, with the given capacity.
func spec(p status.Purpose, capacity int) store.StatusListSpec {
	return store.StatusListSpec{InstanceID: "i1", Purpose: p, URLPrefix: "https://issuer.example/status/",
		Capacity: capacity, At: t0}
}

// credential is a record for subject did with the given entries.
func credential(id, did string, entries ...store.StatusEntry) store.Credential {
	return store.Credential{ID: id, InstanceID: "i1", TenantID: "tenant", SubjectDID: did,
		Types: []string{"VerifiableCredential", "KakuninScopeCredential"}, Status: entries,
		Issued: t0, ValidUntil: at(60 * 24), Data: []byte(`{"id":"` + id + `"}`)}
}

// issue allocates an index of each spec and records credential id for did with
// those entries, in one transaction. rnd nil means crypto/rand.
func issue(db store.DB, id, did string, rnd io.Reader, specs ...store.StatusListSpec) (store.Credential, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var c store.Credential
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		ctx := context.Background()
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		c = credential(id, did)
		for _, s := range specs {
			e, err := ct.AllocateStatusIndex(ctx, s, rnd)
			if err != nil {
				return err
			}
			c.Status = append(c.Status, e)
		}
		return ct.PutCredential(ctx, c)
	})
	return c, err
}

func testCredentials(t *testing.T, db store.DB) {
	want, err := issue(db, "c1", "did:a", nil, spec(status.Revocation, 0), spec(status.Suspension, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := issue(db, "c2", "did:b", nil, spec(status.Revocation, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := issue(db, "c3", "did:a", nil); err != nil {
		t.Fatal(err)
	}
	r := credReader(t, db)
	got, err := r.Credential(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	sameCredential(t, got, want)
	if got.Status[0].URL != "https://issuer.example/status/"+got.Status[0].ListID || got.Status[0].StatusSize != 1 {
		t.Errorf("entry = %+v, want the list's URL and statusSize 1", got.Status[0])
	}
	bySubject, err := r.CredentialsBySubject(ctx, "did:a")
	if err != nil || len(bySubject) != 2 || bySubject[0].ID != "c1" || bySubject[1].ID != "c3" {
		t.Fatalf("CredentialsBySubject = %+v, %v; want c1, c3", bySubject, err)
	}
	sameCredential(t, bySubject[0], want)
	if len(bySubject[1].Status) != 0 || !bySubject[1].ValidUntil.Equal(micro(at(60*24))) {
		t.Errorf("c3 = %+v, want no status entries", bySubject[1])
	}
	if none, err := r.CredentialsBySubject(ctx, "did:none"); err != nil || len(none) != 0 {
		t.Errorf("CredentialsBySubject(unknown) = %v, %v; want empty", none, err)
	}
	_, err = r.Credential(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)
	_, err = issue(db, "c1", "did:c", nil)
	wantErr(t, err, store.ErrConflict)
}

// sameCredential compares a read credential with the one written, whose
// entries lack URL and StatusSize.
func sameCredential(t *testing.T, got, want store.Credential) {
	t.Helper()
	if got.ID != want.ID || got.InstanceID != want.InstanceID || got.TenantID != want.TenantID ||
		got.SubjectDID != want.SubjectDID || !slices.Equal(got.Types, want.Types) ||
		!got.Issued.Equal(micro(want.Issued)) || !got.ValidUntil.Equal(micro(want.ValidUntil)) ||
		string(got.Data) != string(want.Data) || len(got.Status) != len(want.Status) {
		t.Fatalf("credential = %+v, want %+v", got, want)
	}
	for i, e := range want.Status { // both ordered by purpose: revocation, suspension
		g := got.Status[i]
		if g.ListID != e.ListID || g.Index != e.Index || g.Purpose != e.Purpose {
			t.Errorf("entry %d = %+v, want %+v", i, g, e)
		}
	}
}

// testCredentialBinding: an entry must have been allocated, and binds to one
// credential only.
func testCredentialBinding(t *testing.T, db store.DB) {
	first, err := issue(db, "c1", "did:a", nil, spec(status.Revocation, 0))
	if err != nil {
		t.Fatal(err)
	}
	put := func(c store.Credential) error {
		return db.Tx(ctx, func(tx store.Tx) error {
			ct, err := credTx(tx)
			if err != nil {
				return err
			}
			return ct.PutCredential(ctx, c)
		})
	}
	used := first.Status[0]
	free := used
	free.Index = (used.Index + 1) % status.MinEntries
	tests := []struct {
		name  string
		entry store.StatusEntry
		want  error
	}{
		{"entry of another credential", used, store.ErrConflict},
		{"entry never allocated", free, store.ErrNotFound},
		{"unknown list", store.StatusEntry{ListID: "nope", Index: 1}, store.ErrNotFound},
		{"negative index", store.StatusEntry{ListID: used.ListID, Index: -1}, store.ErrInvalid},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, put(credential(fmt.Sprintf("x%d", i), "did:x", tc.entry)), tc.want)
			_, err := credReader(t, db).Credential(ctx, fmt.Sprintf("x%d", i))
			wantErr(t, err, store.ErrNotFound)
		})
	}
}

// testCredentialInstance: an entry binds only to a credential of its list's
// issuer instance, whose status list credential the verifier will fetch.
func testCredentialInstance(t *testing.T, db store.DB) {
	err := db.Tx(ctx, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		other := spec(status.Revocation, 0)
		other.InstanceID = "i2"
		e, err := ct.AllocateStatusIndex(ctx, other, rand.Reader)
		if err != nil {
			return err
		}
		if err := ct.PutCredential(ctx, credential("c1", "did:a", e)); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("binding an entry of instance i2 to a credential of i1 = %v, want ErrConflict", err)
		}
		c := credential("c2", "did:a", e)
		c.InstanceID = "i2"
		return ct.PutCredential(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testCredentialAtomicity: a transaction that allocated indexes and then fails
// leaves neither the indexes nor the credential.
func testCredentialAtomicity(t *testing.T, db store.DB) {
	errAbort := errors.New("abort")
	err := db.Tx(ctx, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		e, err := ct.AllocateStatusIndex(ctx, spec(status.Revocation, 0), rand.Reader)
		if err != nil {
			return err
		}
		if err := ct.PutCredential(ctx, credential("c1", "did:a", e)); err != nil {
			return err
		}
		return errAbort
	})
	wantErr(t, err, errAbort)
	_, err = credReader(t, db).Credential(ctx, "c1")
	wantErr(t, err, store.ErrNotFound)
	if lists, err := statusReader(t, db).StatusLists(ctx, "i1"); err != nil || len(lists) != 0 {
		t.Errorf("StatusLists after rollback = %+v, %v; want none", lists, err)
	}
}

func testCredentialValidation(t *testing.T, db store.DB) {
	mutate := func(f func(*store.Credential)) store.Credential {
		c := credential("c1", "did:a")
		f(&c)
		return c
	}
	tests := []struct {
		name string
		c    store.Credential
	}{
		{"empty id", mutate(func(c *store.Credential) { c.ID = "" })},
		{"no subject", mutate(func(c *store.Credential) { c.SubjectDID = "" })},
		{"no types", mutate(func(c *store.Credential) { c.Types = nil })},
		{"empty type", mutate(func(c *store.Credential) { c.Types = []string{""} })},
		{"no data", mutate(func(c *store.Credential) { c.Data = nil })},
		{"oversized data", mutate(func(c *store.Credential) { c.Data = make([]byte, store.MaxCredentialLen+1) })},
		{"zero issued", mutate(func(c *store.Credential) { c.Issued = t0.AddDate(-2026, 0, 0) })},
		{"too many entries", mutate(func(c *store.Credential) {
			c.Status = make([]store.StatusEntry, store.MaxCredentialStatus+1)
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Tx(ctx, func(tx store.Tx) error {
				ct, err := credTx(tx)
				if err != nil {
					return err
				}
				return ct.PutCredential(ctx, tc.c)
			})
			wantErr(t, err, store.ErrInvalid)
		})
	}
	// Issued already expired: VC Data Model 2.0 lets validUntil be in the past.
	t.Run("validUntil before issued is recorded", func(t *testing.T) {
		c := mutate(func(c *store.Credential) { c.ID = "expired"; c.ValidUntil = at(-1) })
		if err := db.Tx(ctx, func(tx store.Tx) error {
			ct, err := credTx(tx)
			if err != nil {
				return err
			}
			return ct.PutCredential(ctx, c)
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := credReader(t, db).Credential(ctx, "expired"); err != nil || !got.ValidUntil.Before(got.Issued) {
			t.Fatalf("Credential = %+v, %v", got, err)
		}
	})
}
