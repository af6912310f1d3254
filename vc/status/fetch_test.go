package status

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/internal/netguard"
)

func listServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

// testFetcher trusts the test server's certificate and, like a deployment that serves lists
// inside its network, accepts its loopback address.
func testFetcher(srv *httptest.Server) *HTTPFetcher {
	client := srv.Client()
	f := &HTTPFetcher{AllowPrivate: true, Client: client}
	client.CheckRedirect = f.checkRedirect
	return f
}

func TestHTTPFetcher(t *testing.T) {
	body := []byte(specListCredential)
	srv := listServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/list":
			if !strings.HasPrefix(r.Header.Get("Accept"), "application/vc") {
				http.Error(w, "bad accept", http.StatusNotAcceptable)
				return
			}
			w.Header().Set("Content-Type", "application/vc")
			_, _ = w.Write(body)
		case "/moved":
			http.Redirect(w, r, "/list", http.StatusFound)
		case "/downgrade":
			http.Redirect(w, r, "http://example.com/list", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/big":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(make([]byte, 2048))
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(body)
		case "/slow":
			time.Sleep(200 * time.Millisecond)
		default:
			http.NotFound(w, r)
		}
	})
	tests := []struct {
		name  string
		path  string
		fetch *HTTPFetcher
		want  error
	}{
		{"ok", "/list", testFetcher(srv), nil},
		{"redirect", "/moved", testFetcher(srv), nil},
		{"not found", "/absent", testFetcher(srv), ErrUnexpectedHTTPStatus},
		{"redirect to http", "/downgrade", testFetcher(srv), ErrRefusedURL},
		{"redirect loop", "/loop", testFetcher(srv), ErrRefusedURL},
		{"too large", "/big", func() *HTTPFetcher { f := testFetcher(srv); f.MaxBytes = 1024; return f }(), ErrResponseTooLarge},
		{"not a credential media type", "/html", testFetcher(srv), ErrMediaType},
		{"timeout", "/slow", func() *HTTPFetcher { f := testFetcher(srv); f.Timeout = 50 * time.Millisecond; return f }(), context.DeadlineExceeded},
		{"loopback refused by default", "/list", &HTTPFetcher{}, ErrRefusedURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fetch.Fetch(context.Background(), srv.URL+tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if err == nil && string(got) != string(body) {
				t.Fatalf("body %q", got)
			}
		})
	}
}

func TestHTTPFetcherURLs(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		fetch *HTTPFetcher
	}{
		{"http by default", "http://example.com/list", &HTTPFetcher{}},
		{"file", "file:///etc/passwd", &HTTPFetcher{AllowHTTP: true}},
		{"did URL", "did:web:example.com", &HTTPFetcher{}},
		{"relative", "/status/3", &HTTPFetcher{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.fetch.Fetch(context.Background(), tt.url); !errors.Is(err, ErrRefusedURL) {
				t.Fatalf("error %v, want ErrRefusedURL", err)
			}
		})
	}
}

func TestHTTPFetcherAllowHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	f := &HTTPFetcher{AllowHTTP: true, AllowPrivate: true}
	if got, err := f.Fetch(context.Background(), srv.URL); err != nil || string(got) != "{}" {
		t.Fatalf("Fetch = %q, %v", got, err)
	}
}

// TestPublicAddressOnly: the dialer applies netguard's policy, and its refusals are
// ErrRefusedURL.
func TestPublicAddressOnly(t *testing.T) {
	for addr, public := range map[string]bool{
		"93.184.215.14:443":           true,
		"[2606:2800:21f:cb07::1]:443": true,
		"[64:ff9b::808:808]:443":      true,
		"127.0.0.1:443":               false,
		"10.1.2.3:443":                false,
		"192.168.0.1:443":             false,
		"169.254.169.254:80":          false,
		"100.64.0.1:443":              false,
		"198.18.0.1:443":              false,
		"240.0.0.1:443":               false,
		"0.0.0.0:443":                 false,
		"[::1]:443":                   false,
		"[::ffff:127.0.0.1]:443":      false,
		"[64:ff9b::a00:1]:443":        false,
		"[2001:db8::1]:443":           false,
		"[fd00::1]:443":               false,
		"[fe80::1]:443":               false,
		"[fe80::1%eth0]:443":          false,
	} {
		err := publicAddressOnly("tcp", addr, nil)
		if (err == nil) != public || err != nil && (!errors.Is(err, ErrRefusedURL) || !errors.Is(err, netguard.ErrForbidden)) {
			t.Errorf("%s: error %v, want public=%v", addr, err, public)
		}
	}
}

// TestCheckOverHTTP runs a status check against a served list.
func TestCheckOverHTTP(t *testing.T) {
	bits := mustNew(t, MinBits)
	mustSet(t, bits, 94567, 1, 1)
	var listURL string
	srv := listServer(t, func(w http.ResponseWriter, _ *http.Request) {
		p := listParams(Revocation)
		p.ID = listURL
		w.Header().Set("Content-Type", "application/vc")
		_, _ = w.Write(listDoc(t, p, bits))
	})
	listURL = srv.URL + "/status/3"
	cred := credentialWith(t, entryObject(t, Entry{Purpose: Revocation, Index: 94567, ListCredential: listURL}))
	results, err := Check(context.Background(), cred, testFetcher(srv), parseOnly, testNow)
	if err != nil || len(results) != 1 || results[0].Valid {
		t.Fatalf("results %+v, error %v: want revoked", results, err)
	}
	srv.Close()
	if _, err := Check(context.Background(), cred, testFetcher(srv), parseOnly, testNow); !errors.Is(err, ErrRetrieval) {
		t.Fatalf("server down: %v, want STATUS_RETRIEVAL_ERROR", err)
	}
}

// TestHTTPFetcherProxy: requests go through the configured proxy, which sees the list URL.
func TestHTTPFetcherProxy(t *testing.T) {
	seen := make(chan string, 1)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.Host
		http.Error(w, "proxy refuses", http.StatusForbidden)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)
	f := &HTTPFetcher{AllowPrivate: true, Proxy: http.ProxyURL(proxyURL)}
	if _, err := f.Fetch(context.Background(), "https://status.example/list/1"); err == nil {
		t.Fatal("the proxy's refusal was ignored")
	}
	if got := <-seen; got != "CONNECT status.example:443" {
		t.Fatalf("proxy saw %q", got)
	}
}
