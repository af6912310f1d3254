package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/store"
)

// oneToken is a Store holding a single token.
type oneToken struct{ tok store.Token }

func (o oneToken) TokenByHash(_ context.Context, h [sha256.Size]byte) (store.Token, error) {
	if h == o.tok.Hash {
		return o.tok, nil
	}
	return store.Token{}, store.ErrNotFound
}

func FuzzParseID(f *testing.F) {
	text, _, _, _ := auth.NewToken(rand.Reader)
	f.Add(text)
	f.Add("kak__")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := auth.ParseID(s)
		if err == nil && !strings.HasPrefix(s, auth.Prefix+id+"_") {
			t.Fatalf("id %q not in token", id)
		}
		if err != nil && !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("error %v", err)
		}
	})
}

// FuzzAuthenticate feeds arbitrary Authorization headers: only the one real
// token authenticates, every refusal is ErrUnauthenticated, and no error
// carries token text.
func FuzzAuthenticate(f *testing.F) {
	text, id, hash, _ := auth.NewToken(rand.Reader)
	a := auth.New(oneToken{store.Token{ID: id, TenantID: "t", Actions: []string{auth.ActionAdmin}, Hash: hash}}, auth.Options{})
	for _, s := range []string{"Bearer " + text, "bearer  " + text, "Basic " + text, "Bearer", "", "Bearer kak_" + strings.Repeat("a", 69)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := a.Authenticate(context.Background(), header)
		switch {
		case err == nil && tok.ID != id:
			t.Fatalf("authenticated as %q", tok.ID)
		case err != nil && !errors.Is(err, auth.ErrUnauthenticated):
			t.Fatalf("error %v", err)
		case err != nil && strings.Contains(err.Error(), auth.Prefix):
			t.Fatalf("error carries token text: %v", err)
		}
	})
}

// FuzzRefusalEntry feeds arbitrary headers, owners and methods to Authorize
// with refusals logged: every refusal is a sentinel, every entry it adds is a
// valid canonical audit entry, and none holds the real token's secret.
func FuzzRefusalEntry(f *testing.F) {
	db := openDB(f)
	text, tok := issue(f, db, auth.Grant{TenantID: "t1", OwnerIDs: []string{"o1"}, Actions: []string{auth.ActionRevoke}})
	a := auth.New(db.(auth.Store), auth.Options{Audit: db, Denials: auth.DenialLimit{PerWindow: 1 << 30}})
	for _, s := range [][3]string{{"Bearer " + text, "o2", "POST"}, {"", "o1", "DELETE"}, {"Bearer " + text, "o\xff\x00", "PUT"},
		{"Bearer kak_" + strings.Repeat("a", 69), strings.Repeat("o", 5000), "POST"}, {"Bearer " + text, "o1", "GET"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, header, owner, method string) {
		r := request("")
		r.Header.Set("Authorization", header)
		r.Method = method
		before := logSize(t, db)
		_, err := a.Authorize(context.Background(), r, owner, auth.ActionRevoke)
		if err != nil && !errors.Is(err, auth.ErrUnauthenticated) && !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("error %v", err)
		}
		for _, raw := range logEntries(t, db, before) {
			parse(t, raw)
			assertNoSecret(t, raw, text, tok)
		}
	})
}
