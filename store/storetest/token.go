package storetest

import (
	"crypto/sha256"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

func tokenTx(tx store.Tx) (store.TokenTx, error) {
	t, ok := tx.(store.TokenTx)
	if !ok {
		return nil, errNoCredentials
	}
	return t, nil
}

func token(id, tenant string) store.Token {
	return store.Token{ID: id, TenantID: tenant, OwnerIDs: []string{"o1", "o2"},
		Actions: []string{"credentials:issue", "credentials:status"}, Hash: sha256.Sum256([]byte("secret-" + id)),
		Created: t0, Expires: at(60)}
}

func testTokens(t *testing.T, db store.DB) {
	all := token("t2", "acme")
	all.AllOwners, all.OwnerIDs, all.Created, all.Expires = true, nil, at(1), time.Time{}
	for _, tok := range []store.Token{token("t1", "acme"), all, token("t3", "other")} {
		if err := createToken(db, tok); err != nil {
			t.Fatal(err)
		}
	}
	r, ok := db.(store.TokenReader)
	if !ok {
		t.Fatal("the DB does not implement store.TokenReader")
	}
	got, err := r.TokenByHash(ctx, sha256.Sum256([]byte("secret-t1")))
	if err != nil {
		t.Fatal(err)
	}
	sameToken(t, got, token("t1", "acme"))
	if !got.Active(at(59)) || got.Active(at(60)) || !got.Allows("o2", "credentials:issue") ||
		got.Allows("o3", "credentials:issue") || got.Allows("o1", "owners:create") {
		t.Errorf("token t1 = %+v: wrong Active or Allows", got)
	}
	list, err := r.TokensByTenant(ctx, "acme")
	if err != nil || len(list) != 2 || list[0].ID != "t1" || list[1].ID != "t2" {
		t.Fatalf("TokensByTenant = %+v, %v; want t1, t2", list, err)
	}
	sameToken(t, list[1], all)
	if !list[1].Allows("any-owner", "credentials:status") || !list[1].Active(at(1<<20)) {
		t.Errorf("token t2 = %+v: want all owners, no expiry", list[1])
	}
	_, err = r.TokenByHash(ctx, sha256.Sum256([]byte("guess")))
	wantErr(t, err, store.ErrNotFound)

	revoke := func(tenant, id string) error {
		return db.Tx(ctx, func(tx store.Tx) error {
			tt, err := tokenTx(tx)
			if err != nil {
				return err
			}
			return tt.RevokeToken(ctx, tenant, id, at(10))
		})
	}
	dup := token("t9", "acme")
	dup.Hash = token("t1", "x").Hash
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"revoke", revoke("acme", "t1"), nil},
		{"revoke again", revoke("acme", "t1"), store.ErrConflict},
		{"revoke another tenant's", revoke("acme", "t3"), store.ErrNotFound},
		{"revoke unknown", revoke("acme", "nope"), store.ErrNotFound},
		{"id taken", createToken(db, token("t1", "acme")), store.ErrConflict},
		{"secret taken", createToken(db, dup), store.ErrConflict},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	got, err = r.TokenByHash(ctx, sha256.Sum256([]byte("secret-t1")))
	if err != nil || !got.RevokedAt.Equal(micro(at(10))) || got.Active(at(11)) {
		t.Errorf("revoked token = %+v, %v; want revoked at %v", got, err, at(10))
	}
}

func createToken(db store.DB, tok store.Token) error {
	return db.Tx(ctx, func(tx store.Tx) error {
		tt, err := tokenTx(tx)
		if err != nil {
			return err
		}
		return tt.CreateToken(ctx, tok)
	})
}

func sameToken(t *testing.T, got, want store.Token) {
	t.Helper()
	if got.ID != want.ID || got.TenantID != want.TenantID || got.AllOwners != want.AllOwners ||
		!slices.Equal(got.OwnerIDs, want.OwnerIDs) || !slices.Equal(got.Actions, want.Actions) ||
		got.Hash != want.Hash || !got.Created.Equal(micro(want.Created)) ||
		!got.Expires.Equal(micro(want.Expires)) || !got.RevokedAt.IsZero() {
		t.Errorf("token = %+v, want %+v", got, want)
	}
}

func testTokenValidation(t *testing.T, db store.DB) {
	mutate := func(f func(*store.Token)) store.Token {
		tok := token("t1", "acme")
		f(&tok)
		return tok
	}
	tests := []struct {
		name string
		tok  store.Token
	}{
		{"no id", mutate(func(tok *store.Token) { tok.ID = "" })},
		{"no actions", mutate(func(tok *store.Token) { tok.Actions = nil })},
		{"empty action", mutate(func(tok *store.Token) { tok.Actions = []string{""} })},
		{"all owners and a list", mutate(func(tok *store.Token) { tok.AllOwners = true })},
		{"too many owners", mutate(func(tok *store.Token) { tok.OwnerIDs = make([]string, store.MaxTokenOwners+1) })},
		{"no hash", mutate(func(tok *store.Token) { tok.Hash = [32]byte{} })},
		{"expires before created", mutate(func(tok *store.Token) { tok.Expires = at(-1) })},
		{"already revoked", mutate(func(tok *store.Token) { tok.RevokedAt = t0 })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, createToken(db, tc.tok), store.ErrInvalid) })
	}
}
