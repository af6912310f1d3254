package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/internal/pgtest"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/issuer/issuertest"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// eachStore runs test on a MemStore, on SQLite and, when KAKUNIN_TEST_POSTGRES is set, on
// PostgreSQL; audit reads the audit log of the store.
func eachStore(t *testing.T, test func(t *testing.T, st issuer.Store, audit audit.Reader)) {
	t.Run("memory", func(t *testing.T) {
		mem := &issuer.MemStore{}
		test(t, mem, mem.AuditLog())
	})
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "kakunin.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		testSQL(t, db, test)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := postgres.Open(context.Background(), pgtest.Schema(t, "kakunin_issuer"), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		testSQL(t, db, test)
	})
}

func testSQL(t *testing.T, db store.DB, test func(t *testing.T, st issuer.Store, audit audit.Reader)) {
	t.Cleanup(func() { db.Close() })
	st, err := issuer.NewSQLStore(db)
	if err != nil {
		t.Fatal(err)
	}
	test(t, st, db.(store.AuditDB))
}

// credentialOf returns an unsigned credential whose subjects have the given ids.
func credentialOf(subjects ...string) []byte {
	var cs []any
	for _, s := range subjects {
		cs = append(cs, map[string]any{"id": s})
	}
	b, _ := json.Marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"},
		"credentialSubject": cs,
	})
	return b
}

// TestMultiSubjectSuspension: a credential is filed under each of its DID subjects, so
// that revoking the certificate of an agent that is its second subject suspends it.
func TestMultiSubjectSuspension(t *testing.T) {
	eachStore(t, func(t *testing.T, st issuer.Store, log audit.Reader) {
		ctx := context.Background()
		e := issuertest.NewWithStore(t, st)
		agent := e.KakuninAgent(t, "second", false)
		out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: credentialOf(e.Agent, agent, agent),
			Caller: e.Caller})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := st.Credential(ctx, out.ID)
		want := []string{e.Agent, agent}
		slices.Sort(want)
		if err != nil || rec.SubjectDID != e.Agent || !slices.Equal(rec.Subjects, want) {
			t.Fatalf("record %+v, %v; want subject %s, subjects %v", rec, err, e.Agent, want)
		}
		for _, did := range want {
			if got, err := st.CredentialsBySubject(ctx, did); err != nil || len(got) != 1 || got[0].ID != out.ID {
				t.Errorf("CredentialsBySubject(%s) = %+v, %v; want the credential once", did, got, err)
			}
		}
		n, err := e.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked")
		if err != nil || n != 1 {
			t.Fatalf("SuspendAllForDID(second subject) = %d, %v; want 1", n, err)
		}
		if listBit(t, e, out, status.Suspension) != 1 {
			t.Error("the credential of the revoked second subject is not suspended")
		}
		changes := 0
		for _, a := range entriesFor(t, log, agent) {
			if a.Type == audit.StatusChanged {
				changes++
			}
		}
		if changes != 1 {
			t.Errorf("%d status changes logged under the revoked agent, want 1", changes)
		}
	})
}

// entriesFor returns the audit entries whose subject is did.
func entriesFor(t *testing.T, log audit.Reader, did string) []audit.Entry {
	t.Helper()
	stored, err := log.EntriesForDID(context.Background(), did, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, s := range stored {
		a, err := audit.ParseEntry(s.Entry)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestTooManySubjects: a credential with more subject DIDs than the registry files is
// refused before its subjects are resolved; one that repeats a DID counts it once.
func TestTooManySubjects(t *testing.T) {
	e := issuertest.New(t)
	var many []string
	for i := range store.MaxCredentialSubjects + 1 {
		many = append(many, fmt.Sprintf("did:example:%d", i))
	}
	_, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Credential: credentialOf(many...), Caller: e.Caller})
	if !errors.Is(err, issuer.ErrInvalidRequest) {
		t.Errorf("%d subject DIDs: %v, want ErrInvalidRequest", len(many), err)
	}
	same := slices.Repeat([]string{e.Agent}, store.MaxCredentialSubjects+1)
	if _, err := e.Issuer.Issue(context.Background(), issuer.IssueRequest{Credential: credentialOf(same...),
		Caller: e.Caller}); err != nil {
		t.Errorf("one subject DID repeated: %v", err)
	}
}

// hookStore runs before, once, at the start of the next transaction.
type hookStore struct {
	issuer.Store
	before atomic.Pointer[func()]
}

func (s *hookStore) Tx(ctx context.Context, fn func(issuer.Tx) error) error {
	if f := s.before.Swap(nil); f != nil {
		(*f)()
	}
	return s.Store.Tx(ctx, fn)
}

// TestIssuanceFencedByCascade: an issuance whose policy check passed before a subject's
// certificate was revoked, and that reaches its transaction after the cascade suspended the
// subject's credentials, is refused (409 ErrConflict, store.ErrSubjectChanged) rather than
// recorded unsuspended; asking again succeeds once the subject is checked anew.
func TestIssuanceFencedByCascade(t *testing.T) {
	eachStore(t, func(t *testing.T, st issuer.Store, _ audit.Reader) {
		ctx := context.Background()
		hs := &hookStore{Store: st}
		e := issuertest.NewWithStore(t, hs)
		agent := e.KakuninAgent(t, "fenced", false)
		req := issuer.IssueRequest{Credential: credentialOf(e.Agent, agent), Caller: e.Caller}
		first, err := e.Issuer.Issue(ctx, req) // also fills the reserve pools
		if err != nil {
			t.Fatal(err)
		}
		var suspended int
		cascade := func() { // after the next issuance's policy check, before its record
			e.Clock.Advance(time.Second)
			var err error
			if suspended, err = e.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked"); err != nil {
				t.Error(err)
			}
		}
		hs.before.Store(&cascade)
		_, err = e.Issuer.Issue(ctx, req)
		if !errors.Is(err, issuer.ErrConflict) || !errors.Is(err, store.ErrSubjectChanged) {
			t.Fatalf("issuance across the cascade: %v, want ErrConflict and store.ErrSubjectChanged", err)
		}
		if suspended != 1 || listBit(t, e, first, status.Suspension) != 1 {
			t.Errorf("the cascade suspended %d credentials, want the first", suspended)
		}
		if got, err := st.CredentialsBySubject(ctx, agent); err != nil || len(got) != 1 {
			t.Errorf("%d credentials of the agent stored (%v), want only the first", len(got), err)
		}
		again, err := e.Issuer.Issue(ctx, req)
		if err != nil {
			t.Fatalf("issuing again after the cascade: %v", err)
		}
		if listBit(t, e, again, status.Suspension) != 0 {
			t.Error("the credential issued after the cascade is suspended")
		}
	})
}

// TestFenceWithoutCredentials: a cascade that has no credential to suspend still fences the
// agent, so an issuance in flight across it is refused.
func TestFenceWithoutCredentials(t *testing.T) {
	eachStore(t, func(t *testing.T, st issuer.Store, _ audit.Reader) {
		ctx := context.Background()
		hs := &hookStore{Store: st}
		e := issuertest.NewWithStore(t, hs)
		agent := e.KakuninAgent(t, "fenced", false)
		if _, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: credentialOf(e.Agent), Caller: e.Caller}); err != nil {
			t.Fatal(err) // fills the reserve pools
		}
		fence := func() {
			e.Clock.Advance(time.Second)
			if n, err := e.Issuer.SuspendAllForDID(ctx, agent, "certificate revoked"); err != nil || n != 0 {
				t.Error(n, err)
			}
		}
		hs.before.Store(&fence)
		_, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: credentialOf(agent), Caller: e.Caller})
		if !errors.Is(err, issuer.ErrConflict) || !errors.Is(err, store.ErrSubjectChanged) {
			t.Fatalf("issuance across the fence: %v, want ErrConflict and store.ErrSubjectChanged", err)
		}
		if got, err := st.CredentialsBySubject(ctx, agent); err != nil || len(got) != 0 {
			t.Errorf("%d credentials of the agent stored (%v), want none", len(got), err)
		}
	})
}

// TestNoDIDSubjectIsNotFiled: a credential without a DID subject is filed under no subject
// (its record names its own id for display only), so it neither takes a subject row nor a
// fence.
func TestNoDIDSubjectIsNotFiled(t *testing.T) {
	eachStore(t, func(t *testing.T, st issuer.Store, _ audit.Reader) {
		ctx := context.Background()
		e := issuertest.NewWithStore(t, st)
		raw, _ := json.Marshal(map[string]any{
			"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"},
			"name": "Example credential", "credentialSubject": map[string]any{"name": "a subject without an id"},
		})
		out, err := e.Issuer.Issue(ctx, issuer.IssueRequest{Credential: raw, Caller: e.Caller})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := st.Credential(ctx, out.ID)
		if err != nil || rec.SubjectDID != out.ID || len(rec.AllSubjects()) != 0 {
			t.Fatalf("record %+v (%v): want its own id for display and no subject", rec, err)
		}
		if got, err := st.CredentialsBySubject(ctx, out.ID); err != nil || len(got) != 0 {
			t.Errorf("filed under its own id: %d, %v", len(got), err)
		}
	})
}
