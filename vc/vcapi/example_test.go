package vcapi_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/vc/issuer"
	"github.com/kakunin-dev/kakunin/vc/vcapi"
	"github.com/kakunin-dev/kakunin/vc/verifier"
)

func ExampleHandler_Mount() {
	seed := sha256.Sum256([]byte("example issuer key"))
	signer := ed25519.NewKeyFromSeed(seed[:])
	id, _ := key.New(signer.Public())
	is, _ := issuer.New(issuer.Config{Store: &issuer.MemStore{}, Resolver: key.Resolver{}, BaseURL: "https://issuer.example"},
		issuer.Instance{Name: "main", DID: id.String(), VerificationMethod: id.String() + "#" + id.ID, Signer: signer})
	v, _ := verifier.New(verifier.Config{Resolver: key.Resolver{}, Status: is.Fetcher(nil)})
	auth := vcapi.StaticTokens{"secret": {Caller: issuer.Caller{ID: "client-1", Tenant: "acme"}, Instances: []string{"*"}}}
	h, _ := vcapi.New(is, v, auth, vcapi.Options{})
	e := echo.New()
	h.Mount(e)

	body := `{"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
		"name": "Example", "credentialSubject": {"id": "` + id.String() + `"}}}`
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/credentials/issue", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer secret")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.HasPrefix(rec.Body.String(), `{"verifiableCredential":{`))
	// Output:
	// 201 true
}
