package storetest

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// put records c with PutCredential (held false) or HoldCredential in a
// transaction of its own.
func put(db store.DB, c store.Credential, held bool) error {
	if held {
		return hold(db, c)
	}
	return db.Tx(ctx, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		return ct.PutCredential(ctx, c)
	})
}

// fence raises did's fence to at in a transaction of its own.
func fence(db store.DB, did string, at time.Time) error {
	return db.Tx(ctx, func(tx store.Tx) error {
		ct, err := credTx(tx)
		if err != nil {
			return err
		}
		return ct.FenceSubject(ctx, did, at)
	})
}

// ids returns the ids of creds, in order.
func ids(creds []store.Credential) string {
	var out []string
	for _, c := range creds {
		out = append(out, c.ID)
	}
	return strings.Join(out, ",")
}

// testCredentialSubjects: a credential is found by each of its subjects, once
// even when one is listed twice, by PutCredential and HoldCredential alike,
// and reads return its subjects sorted.
func testCredentialSubjects(t *testing.T, db store.DB) {
	e, err := reserve(db, spec(status.Suspension, 0), 2)
	if err != nil {
		t.Fatal(err)
	}
	m1 := credential("m1", "did:a", e[0])
	m1.Subjects = []string{"did:b", "did:a", "did:b"}
	m2 := credential("m2", "did:c", e[1])
	m2.Subjects = []string{"did:b"}
	m2.Issued = at(1)
	if err := put(db, m1, false); err != nil {
		t.Fatal(err)
	}
	if err := put(db, m2, true); err != nil {
		t.Fatal(err)
	}
	if _, err := issue(db, "c3", "did:a", nil); err != nil {
		t.Fatal(err)
	}
	r := credReader(t, db)
	tests := []struct{ did, want string }{
		{"did:a", "c3,m1"}, {"did:b", "m1,m2"}, {"did:c", "m2"}, {"did:d", ""},
	}
	for _, tc := range tests {
		got, err := r.CredentialsBySubject(ctx, tc.did)
		if err != nil || ids(got) != tc.want {
			t.Errorf("CredentialsBySubject(%s) = %s, %v; want %s", tc.did, ids(got), err, tc.want)
		}
		for _, c := range got {
			if c.ID == "m2" && (len(c.Status) != 1 || c.Status[0] != withList(e[1])) {
				t.Errorf("m2 read by %s has entries %+v, want %+v", tc.did, c.Status, e[1])
			}
		}
	}
	for _, tc := range []struct{ id, want string }{{"m1", "did:a,did:b"}, {"m2", "did:b,did:c"}, {"c3", "did:a"}} {
		got, err := r.Credential(ctx, tc.id)
		if err != nil || strings.Join(got.Subjects, ",") != tc.want {
			t.Errorf("Credential(%s).Subjects = %v, %v; want %s", tc.id, got.Subjects, err, tc.want)
		}
	}
	tooMany := credential("x1", "did:a")
	for i := range store.MaxCredentialSubjects + 1 {
		tooMany.Subjects = append(tooMany.Subjects, fmt.Sprintf("did:s%d", i))
	}
	empty := credential("x2", "did:a")
	empty.Subjects = []string{""}
	for _, c := range []store.Credential{tooMany, empty} {
		for _, held := range []bool{false, true} {
			wantErr(t, put(db, c, held), store.ErrInvalid)
		}
	}
}

// withList is e as reads return it: with its list's URL and status size.
func withList(e store.StatusEntry) store.StatusEntry {
	e.URL, e.StatusSize = "https://issuer.example/status/"+e.ListID, 1
	return e
}

// testSubjectFence: every raise of a subject's fence moves it to its next
// generation, whatever the time given (an earlier one too, as a replica whose
// clock is behind gives); a credential filed under the subject (as any
// subject) that recorded another generation of it (0 when none) is refused
// with ErrSubjectChanged, by PutCredential and HoldCredential, however late it
// was issued, and nothing of it is stored; one that recorded the current
// generations of all its subjects is recorded.
func testSubjectFence(t *testing.T, db store.DB) {
	for _, did := range []string{"did:f", "did:g"} {
		if err := fence(db, did, at(10)); err != nil {
			t.Fatal(err)
		}
	}
	if err := fence(db, "did:f", at(5)); err != nil { // an earlier clock still moves it
		t.Fatal(err)
	}
	type gens = map[string]int64
	tests := []struct {
		name     string
		subjects []string
		gens     gens
		want     error
	}{
		{"first subject, none recorded", []string{"did:f"}, nil, store.ErrSubjectChanged},
		{"second subject, before the earlier-clocked raise", []string{"did:a", "did:f"}, gens{"did:f": 1},
			store.ErrSubjectChanged},
		{"second subject, none recorded", []string{"did:a", "did:g"}, gens{"did:a": 0}, store.ErrSubjectChanged},
		{"a generation ahead", []string{"did:g"}, gens{"did:g": 2}, store.ErrSubjectChanged},
		{"unfenced subject recorded as raised", []string{"did:a", "did:b"}, gens{"did:b": 1}, store.ErrSubjectChanged},
		{"current", []string{"did:a", "did:f"}, gens{"did:f": 2}, nil},
		{"current, both", []string{"did:f", "did:g"}, gens{"did:f": 2, "did:g": 1, "did:x": 7}, nil},
		{"other subjects", []string{"did:a", "did:b"}, nil, nil},
	}
	for i, tc := range tests {
		for _, held := range []bool{false, true} {
			id := fmt.Sprintf("f%d-%t", i, held)
			c := credential(id, tc.subjects[0])
			c.Subjects, c.Generations, c.Issued = tc.subjects[1:], tc.gens, at(60) // after every fence time
			err := put(db, c, held)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s (held %t): %v, want %v", tc.name, held, err, tc.want)
			}
			_, err = credReader(t, db).Credential(ctx, id)
			if stored := err == nil; stored != (tc.want == nil) {
				t.Errorf("%s (held %t): stored %t (%v)", tc.name, held, stored, err)
			}
		}
	}
	for _, did := range []string{"did:f", "did:a"} {
		got, err := credReader(t, db).CredentialsBySubject(ctx, did)
		if err != nil || len(got) != 4 {
			t.Errorf("CredentialsBySubject(%s) = %s, %v; want the 4 recorded", did, ids(got), err)
		}
	}
	got, err := credReader(t, db).SubjectGenerations(ctx, []string{"did:f", "did:g", "did:a", "did:none"})
	if want := (gens{"did:f": 2, "did:g": 1}); err != nil || !maps.Equal(got, want) {
		t.Errorf("SubjectGenerations = %v, %v; want %v", got, err, want)
	}
	testFenceBounds(t, db)
}

// testFenceBounds: fences, generation reads and recorded generations are
// refused with ErrInvalid when empty, negative or too many.
func testFenceBounds(t *testing.T, db store.DB) {
	wantErr(t, fence(db, "", at(1)), store.ErrInvalid)
	wantErr(t, fence(db, "did:f", time.Time{}), store.ErrInvalid)
	var many []string
	tooMany := credential("g1", "did:a")
	tooMany.Generations = map[string]int64{}
	for i := range store.MaxCredentialSubjects + 2 {
		many = append(many, fmt.Sprintf("did:s%d", i))
		tooMany.Generations[many[i]] = 1
	}
	for _, dids := range [][]string{many, {"did:a", ""}} {
		_, err := credReader(t, db).SubjectGenerations(ctx, dids)
		wantErr(t, err, store.ErrInvalid)
	}
	negative := credential("g2", "did:a")
	negative.Generations = map[string]int64{"did:a": -1}
	empty := credential("g3", "did:a")
	empty.Generations = map[string]int64{"": 0}
	for _, c := range []store.Credential{tooMany, negative, empty} {
		for _, held := range []bool{false, true} {
			wantErr(t, put(db, c, held), store.ErrInvalid)
		}
	}
}

// testFenceInBatch: in one group-committed transaction, a credential held
// before the fence is raised is written before it (and found by the read that
// follows the fence), one held after it and checked before (at generation 0)
// is refused alone, and the others of the batch commit.
func testFenceInBatch(t *testing.T, db store.DB) {
	release := make(chan struct{})
	started := make(chan struct{})
	var cascade string
	go func() {
		_ = db.Tx(ctx, func(store.Tx) error { close(started); <-release; return nil })
	}()
	<-started
	calls := []func() error{
		func() error { return hold(db, filed("before", "did:a", "did:x")) },
		func() error {
			return db.Tx(ctx, func(tx store.Tx) error {
				ct, err := credTx(tx)
				if err != nil {
					return err
				}
				if err := ct.FenceSubject(ctx, "did:x", at(10)); err != nil {
					return err
				}
				got, err := ct.CredentialsBySubject(ctx, "did:x")
				cascade = ids(got)
				return err
			})
		},
		func() error { return hold(db, filed("after", "did:b", "did:x")) },
		func() error { return hold(db, credential("other", "did:c")) },
	}
	errs := make([]error, len(calls))
	done := make(chan int, len(calls))
	for i, call := range calls {
		go func() { errs[i] = call(); done <- i }()
		time.Sleep(50 * time.Millisecond) // queue them in order behind the blocking one
	}
	close(release)
	for range calls {
		<-done
	}
	if errs[0] != nil || errs[1] != nil || errs[3] != nil || !errors.Is(errs[2], store.ErrSubjectChanged) {
		t.Fatalf("errors %v; want only the credential held after the fence refused", errs)
	}
	if cascade != "before" {
		t.Errorf("the cascade read %q, want the credential held before it", cascade)
	}
}

// filed is a credential without status entries for subject did, filed also
// under others.
func filed(id, did string, others ...string) store.Credential {
	c := credential(id, did)
	c.Subjects = others
	return c
}
