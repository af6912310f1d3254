package idempotency_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

func ExampleRead() {
	r := httptest.NewRequest("POST", "/credentials/issue", strings.NewReader(`{"credential":{}}`))
	r.Header.Set(idempotency.Header, `"order-4711"`)
	q, ok, err := idempotency.Read(r, "acme", 1<<20)
	fmt.Println(q.Tenant, q.Key, ok, err)
	// Output: acme order-4711 true <nil>
}
