package idempotency_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/server/idempotency"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"abc-123", "abc-123", false},
		{`"8e03978e-40d5-43e8-bc93-6894a57f9324"`, "8e03978e-40d5-43e8-bc93-6894a57f9324", false},
		{`"a\"b\\c"`, `a"b\c`, false},
		{"  padded  ", "padded", false},
		{"with space inside", "with space inside", false},
		{strings.Repeat("k", idempotency.MaxKeyLen), strings.Repeat("k", idempotency.MaxKeyLen), false},
		{strings.Repeat("k", idempotency.MaxKeyLen+1), "", true},
		{"", "", true},
		{`""`, "", true},
		{`"a"b"`, "", true},
		{`"a\x"`, "", true},
		{"tab\tinside", "", true},
		{"é", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := idempotency.ParseKey(tc.in)
			if tc.err {
				if !errors.Is(err, idempotency.ErrInvalidKey) {
					t.Fatalf("ParseKey(%q) = %q, %v; want ErrInvalidKey", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseKey(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func request(method, path, key, body string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if key != "" {
		r.Header.Set(idempotency.Header, key)
	}
	return r
}

// TestRead: the hash covers method, path and body; the body is put back intact;
// a request without the header is not keyed; two headers are refused.
func TestRead(t *testing.T) {
	base, ok, err := idempotency.Read(request("POST", "/a", "k", `{"x":1}`), "t1", 1<<10)
	if err != nil || !ok || base.Key != "k" || base.Tenant != "t1" {
		t.Fatalf("Read = %+v, %v, %v", base, ok, err)
	}
	for name, r := range map[string]*http.Request{
		"method": request("PUT", "/a", "k", `{"x":1}`),
		"path":   request("POST", "/b", "k", `{"x":1}`),
		"body":   request("POST", "/a", "k", `{"x":2}`),
		"split":  request("POST", "/a{", "k", `"x":1}`),
	} {
		q, _, err := idempotency.Read(r, "t1", 1<<10)
		if err != nil || q.Hash == base.Hash {
			t.Errorf("%s: same hash as the base request (%v)", name, err)
		}
	}
	r := request("POST", "/a", "k", strings.Repeat("x", 100))
	if _, _, err := idempotency.Read(r, "t1", 10); err != nil {
		t.Fatal(err)
	}
	if rest, _ := io.ReadAll(r.Body); len(rest) != 11 {
		t.Errorf("body put back with %d bytes, want the 11 read (max+1)", len(rest))
	}
	if q, _, _ := idempotency.Read(request("POST", "/a", "k", "{}"), "", 10); q.Tenant != idempotency.NoTenant {
		t.Errorf("tenant %q for a caller of no tenant, want NoTenant", q.Tenant)
	}
	if _, ok, err := idempotency.Read(request("POST", "/a", "", "{}"), "t1", 10); ok || err != nil {
		t.Errorf("no header: ok=%v err=%v", ok, err)
	}
	two := request("POST", "/a", "k", "{}")
	two.Header.Add(idempotency.Header, "j")
	if _, _, err := idempotency.Read(two, "t1", 10); !errors.Is(err, idempotency.ErrInvalidKey) {
		t.Errorf("two headers: %v", err)
	}
}

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"abc", `"abc"`, `"a\"b"`, `"`, `\`, strings.Repeat("k", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := idempotency.ParseKey(s)
		if err != nil {
			return
		}
		if k == "" || len(k) > idempotency.MaxKeyLen {
			t.Fatalf("accepted key of %d bytes", len(k))
		}
		// A key round-trips through the Structured Field String encoding.
		quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(k) + `"`
		if again, err := idempotency.ParseKey(quoted); err != nil || again != k {
			t.Fatalf("ParseKey(%q) = %q, %v; want %q", quoted, again, err, k)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	body := strings.Repeat("x", 4<<10)
	for b.Loop() {
		r := request("POST", "/credentials/issue", `"bench-key"`, body)
		if _, _, err := idempotency.Read(r, "acme", 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLocks: requests with one key run one at a time; the table of keys is
// emptied once they are done.
func TestLocks(t *testing.T) {
	var l idempotency.Locks
	q := idempotency.Request{Tenant: "t", Key: "k"}
	var inside, most int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			unlock := l.Lock(q)
			mu.Lock()
			inside++
			most = max(most, inside)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			inside--
			mu.Unlock()
			unlock()
		})
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("%d requests with one key ran at once, want 1", most)
	}
	other := l.Lock(idempotency.Request{Tenant: "u", Key: "k"})
	l.Lock(q)() // another tenant's key does not wait, and the first key is free
	other()
}
