package revocation

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHTTPTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/missing":
			http.NotFound(w, r)
		case "/ocsp":
			if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/ocsp-request" {
				http.Error(w, "bad request", http.StatusBadRequest)
			}
			w.Write([]byte("ok"))
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	tr := HTTPTransport{Client: srv.Client(), Timeout: 10 * time.Second}
	ctx := context.Background()
	if b, err := tr.Get(ctx, srv.URL+"/crl", 1024); err != nil || string(b) != "ok" {
		t.Fatalf("Get = %q, %v", b, err)
	}
	if b, err := tr.Post(ctx, srv.URL+"/ocsp", "application/ocsp-request", []byte{1}, 1024); err != nil || string(b) != "ok" {
		t.Fatalf("Post = %q, %v", b, err)
	}
	if _, err := tr.Get(ctx, srv.URL+"/big", 1024); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized: err = %v, want ErrTooLarge", err)
	}
	short := HTTPTransport{Client: srv.Client(), Timeout: 100 * time.Millisecond}
	if _, err := short.Get(ctx, srv.URL+"/slow", 1024); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow: err = %v, want a timeout", err)
	}
	for _, u := range []string{srv.URL + "/missing", "ldap://ca.test/crl", "file:///etc/passwd"} {
		if _, err := tr.Get(ctx, u, 1024); err == nil {
			t.Fatalf("Get %s succeeded", u)
		}
	}
}
