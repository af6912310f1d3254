package auth_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/auth"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// Example gives a new tenant its admin token and checks requests with it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "auth-example")
	defer os.RemoveAll(dir)
	db, err := backend.Open(ctx, filepath.Join(dir, "k.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	// At first start: print the token once; only its hash is stored.
	token, created, err := auth.Bootstrap(ctx, db, rand.Reader, "acme", t0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", created, "length:", len(token))

	a := auth.New(db.(auth.Store), auth.Options{})
	r := httptest.NewRequest("POST", "/ca/owners/o1/revoke", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	tok, err := a.Authorize(ctx, r, "o1", auth.ActionRevoke)
	fmt.Println("tenant:", tok.TenantID, err)

	r.Header.Set("Authorization", "Bearer kak_guess")
	_, err = a.Authorize(ctx, r, "o1", auth.ActionRevoke)
	fmt.Println("guess refused:", errors.Is(err, auth.ErrUnauthenticated))
	// Output:
	// created: true length: 73
	// tenant: acme <nil>
	// guess refused: true
}

// Example_refusalLogged shows a refused write request appended to the audit
// log as an authz.decision entry, and a read request that is not.
func Example_refusalLogged() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "auth-example")
	defer os.RemoveAll(dir)
	db, err := backend.Open(ctx, filepath.Join(dir, "k.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	a := auth.New(db.(auth.Store), auth.Options{Now: func() time.Time { return t0 }, Audit: db})

	for _, method := range []string{"POST", "GET"} {
		_, err := a.Authorize(ctx, httptest.NewRequest(method, "/ca/owners/o1/revoke", nil), "o1", auth.ActionRevoke)
		fmt.Println(method, "refused:", errors.Is(err, auth.ErrUnauthenticated))
	}
	entries, err := db.(audit.Reader).EntriesRange(ctx, 0, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range entries {
		fmt.Println(string(e.Entry))
	}
	// Output:
	// POST refused: true
	// GET refused: true
	// {"actor":"anonymous","digest":"sha-256:a8bb5a3f67f233d54d1b4288d1aea4ce82a72430a9c95dfcb78569bcb3b10e9a","tenant":"unknown","time":"2026-11-26T09:00:00Z","type":"authz.decision","v":1}
}
