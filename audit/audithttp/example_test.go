package audithttp_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/audithttp"
	"github.com/kakunin-dev/kakunin/audit/memstore"
)

func ExampleNew() {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	cp, _ := audit.NewCheckpointer("kakunin.example/audit", key)
	store := new(memstore.Store)
	_, _ = audit.Append(context.Background(), store, audit.Entry{
		Type: audit.CertIssued, Time: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
		Actor: "did:example:owner", Tenant: "tenant-1", Digest: audit.SHA256([]byte("certificate")),
	})

	h, err := audithttp.New(audithttp.Memory(store), cp, audithttp.Config{})
	if err != nil {
		panic(err)
	}
	e := echo.New()
	h.Mount(e) // or: server.New(cfg, h)

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/audit/checkpoint", nil))
	lines := strings.Split(rec.Body.String(), "\n")
	fmt.Println(rec.Code, lines[0], lines[1])
	// Output: 200 kakunin.example/audit 1
}
