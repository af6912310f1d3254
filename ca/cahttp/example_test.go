package cahttp_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/kakunin-dev/kakunin/ca"
	"github.com/kakunin-dev/kakunin/ca/cahttp"
	"github.com/kakunin-dev/kakunin/server"
	"github.com/kakunin-dev/kakunin/store/backend"
)

// Example mounts the CA's endpoints on the kakunin server, with one static token
// allowed to act for owner "example".
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "cahttp-example")
	defer os.RemoveAll(dir)
	db, err := backend.Open(ctx, filepath.Join(dir, "registry.db"), backend.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	authority, _ := ca.New(db, ca.Options{BaseURL: "https://ca.example.com"})
	seed := sha256.Sum256([]byte("example owner"))
	if _, err := authority.InitOwner(ctx, ca.OwnerRequest{ID: "example", Signer: ed25519.NewKeyFromSeed(seed[:])}); err != nil {
		fmt.Println(err)
		return
	}
	auth := cahttp.StaticTokens{"s3cret": {Tenant: "t1", Owners: []string{"example"}}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(server.Config{Logger: log}, cahttp.New(authority, auth, cahttp.Options{}))

	for _, path := range []string{"/ca/owners/example", "/ca/owners/example/crl"} {
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Println(path, w.Code, w.Header().Get("Content-Type"))
	}
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/ca/owners/example/revoke", nil))
	fmt.Println("revoke without a token:", w.Code)
	// Output:
	// /ca/owners/example 200 application/pem-certificate-chain
	// /ca/owners/example/crl 200 application/pkix-crl
	// revoke without a token: 401
}
