package auth_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

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
