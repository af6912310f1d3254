package storetest

import (
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

// undoSubjects takes a database back to before migration 5 (credential
// subjects and fences), and so to before migration 7 (fence generations), so
// that the next Open applies them again.
var undoSubjects = []string{
	`DROP TABLE subject_fences`,
	`DROP TABLE credential_subjects`,
	`CREATE INDEX credentials_by_subject ON credentials (subject_did, issued_at)`,
	`DELETE FROM schema_migrations WHERE version IN (5, 7)`,
}

// undoGenerations takes a database back to before migration 7 (fence
// generations), so that the next Open applies it again.
var undoGenerations = []string{
	`ALTER TABLE subject_fences DROP COLUMN generation`,
	`DELETE FROM schema_migrations WHERE version = 7`,
}

// SubjectsBackfill checks that migration 7 starts a fence raised before it at
// generation 1, and that migration 5 files the credentials recorded
// before it under the subject they recorded: it stores credentials, takes the
// database back to before the migration with exec (which runs statements on
// dsn outside the store), opens it again and finds them by subject. open must
// return a store on dsn that is closed when the test ends; closing it earlier
// must be harmless.
func SubjectsBackfill(t *testing.T, dsn string, open func(t *testing.T, dsn string) store.DB,
	exec func(t *testing.T, dsn string, stmts ...string)) {
	db := open(t, dsn)
	generationsBackfill(t, db, dsn, open, exec)
	db = open(t, dsn)
	for _, c := range []store.Credential{filed("old1", "did:a"), filed("old2", "did:a", "did:b")} {
		if err := put(db, c, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	exec(t, dsn, undoSubjects...)
	db = open(t, dsn)
	if err := put(db, filed("new", "did:c", "did:b"), true); err != nil {
		t.Fatal(err)
	}
	r := credReader(t, db)
	// The schema before migration 5 kept the first subject only.
	for _, tc := range []struct{ did, want string }{{"did:a", "old1,old2"}, {"did:b", "new"}, {"did:c", "new"}} {
		got, err := r.CredentialsBySubject(ctx, tc.did)
		if err != nil || ids(got) != tc.want {
			t.Errorf("CredentialsBySubject(%s) after the migration = %s, %v; want %s", tc.did, ids(got), err, tc.want)
		}
	}
	if err := fence(db, "did:a", at(10)); err != nil {
		t.Error(err)
	}
	wantErr(t, put(db, filed("late", "did:a"), true), store.ErrSubjectChanged)
}

// generationsBackfill raises a fence on db, closes it, takes the database back
// to before migration 7 and opens it again: the fence is at generation 1, so a
// credential that recorded none is refused and one that recorded 1 is not.
func generationsBackfill(t *testing.T, db store.DB, dsn string, open func(t *testing.T, dsn string) store.DB,
	exec func(t *testing.T, dsn string, stmts ...string)) {
	t.Helper()
	if err := fence(db, "did:old", at(10)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	exec(t, dsn, undoGenerations...)
	db = open(t, dsn)
	defer db.Close()
	got, err := credReader(t, db).SubjectGenerations(ctx, []string{"did:old", "did:new"})
	if err != nil || len(got) != 1 || got["did:old"] != 1 {
		t.Errorf("generations after migration 7 = %v, %v; want did:old at 1", got, err)
	}
	wantErr(t, put(db, filed("old-none", "did:old"), true), store.ErrSubjectChanged)
	checked := filed("old-1", "did:old")
	checked.Generations = map[string]int64{"did:old": 1}
	if err := put(db, checked, true); err != nil {
		t.Error(err)
	}
}
