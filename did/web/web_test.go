package web

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

func TestURL(t *testing.T) {
	cases := []struct{ id, want string }{
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
		{"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"},
		{"did:web:Example.COM", "https://example.com/.well-known/did.json"},
		{"did:web:example.com:a%20b", "https://example.com/a%20b/did.json"},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			d, err := did.Parse(c.id)
			if err != nil {
				t.Fatal(err)
			}
			u, err := URL(d)
			if err != nil || u.String() != c.want {
				t.Fatalf("URL = %v, %v; want %s", u, err, c.want)
			}
		})
	}
}

func TestURLRejects(t *testing.T) {
	cases := []struct {
		id   string
		want error
	}{
		{"did:web:127.0.0.1", ErrInvalidHost},
		{"did:web:127.0.0.1%3A8443", ErrInvalidHost},
		{"did:web:%5B%3A%3A1%5D", ErrInvalidHost},
		{"did:web:user%40example.com", ErrInvalidHost},
		{"did:web:example.com%3A0", ErrInvalidHost},
		{"did:web:example.com%3A65536", ErrInvalidHost},
		{"did:web:example.com%3A08443", ErrInvalidHost},
		{"did:web:example.com%3A443%3A1", ErrInvalidHost},
		{"did:web:localhost", ErrInvalidHost},
		{"did:web:2130706433", ErrInvalidHost},
		{"did:web:0x7f.1", ErrInvalidHost},
		{"did:web:10.0.0.010", ErrInvalidHost},
		{"did:web:-a.example.com", ErrInvalidHost},
		{"did:web:example.com%2F..", ErrInvalidHost},
		{"did:web:example.com:..", ErrInvalidPath},
		{"did:web:example.com:%2E%2E", ErrInvalidPath},
		{"did:web:example.com:a%2Fb", ErrInvalidPath},
		{"did:web:example.com:a%5Cb", ErrInvalidPath},
		{"did:web:example.com::a", ErrInvalidPath},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			d, err := did.Parse(c.id)
			if err == nil {
				_, err = URL(d)
			}
			if !errors.Is(err, c.want) || !errors.Is(err, did.ErrInvalidDID) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestCheckAddr(t *testing.T) {
	forbidden := []string{"127.0.0.1", "127.1.2.3", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"fd00:ec2::254", "fe80::1", "224.0.0.1", "ff02::1", "0.0.0.0", "::", "255.255.255.255", "100.64.0.1",
		"::ffff:127.0.0.1", "::ffff:8.8.8.8", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1",
		"2002:7f00:1::", "2001::1", "2001:db8::1", "198.18.0.1", "192.0.2.1", "240.0.0.1", "fc00::1"}
	for _, s := range forbidden {
		if err := checkAddr(netip.MustParseAddr(s)); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808"} {
		if err := checkAddr(netip.MustParseAddr(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// fakeDNS answers from a table; unknown names fail.
func fakeDNS(table map[string][]string) func(context.Context, string, string) ([]netip.Addr, error) {
	return func(_ context.Context, _, host string) ([]netip.Addr, error) {
		var out []netip.Addr
		for _, s := range table[host] {
			out = append(out, netip.MustParseAddr(s))
		}
		if out == nil {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return out, nil
	}
}

const testDoc = `{"@context":"https://www.w3.org/ns/did/v1","id":%q,
"verificationMethod":[{"id":%q,"type":"Multikey","controller":%q,"publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}`

// tlsServer serves did.json documents for example.com (a name the httptest
// certificate covers) on 127.0.0.1, and a resolver allowed to reach exactly it.
func tlsServer(t *testing.T, h http.HandlerFunc, cfg Config) (*Resolver, string) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg.RootCAs = pool
	cfg.AllowAddrs = []netip.AddrPort{ap}
	if cfg.LookupNetIP == nil {
		cfg.LookupNetIP = fakeDNS(map[string][]string{"example.com": {"127.0.0.1"}})
	}
	return New(cfg), fmt.Sprintf("did:web:example.com%%3A%d", ap.Port())
}

func TestResolve(t *testing.T) {
	var base string
	handler := func(w http.ResponseWriter, r *http.Request) {
		id := base + strings.ReplaceAll(strings.TrimSuffix(r.URL.Path, "/did.json"), "/", ":")
		switch r.URL.Path {
		case "/ok/did.json", "/.well-known/did.json":
			if r.URL.Path == "/.well-known/did.json" {
				id = base
			}
			w.Header().Set("Content-Type", "application/did+json; charset=utf-8")
			fmt.Fprintf(w, testDoc, id, id+"#k", id)
		case "/plain/did.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, testDoc, id, id+"#k", id)
		case "/html/did.json":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, testDoc, id, id+"#k", id)
		case "/other/did.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, testDoc, "did:web:evil.example", "did:web:evil.example#k", "did:web:evil.example")
		case "/broken/did.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"id":`)
		case "/big/did.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, strings.Repeat(" ", 2048))
		case "/slow/did.json":
			w.Header().Set("Content-Type", "application/json")
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/moved/did.json":
			http.Redirect(w, r, "/ok/did.json", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}
	r, id := tlsServer(t, handler, Config{MaxBodyBytes: 1024, Timeout: 500 * time.Millisecond})
	base = id
	cases := []struct {
		path string
		want error
	}{
		{"", nil},
		{":ok", nil},
		{":plain", nil},
		{":missing", ErrStatus},
		{":html", ErrContentType},
		{":other", ErrIDMismatch},
		{":broken", did.ErrInvalidDocument},
		{":big", ErrTooLarge},
		{":slow", ErrUnreachable},
		{":moved", ErrRedirect},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			res, err := r.Resolve(t.Context(), id+c.path, did.ResolutionOptions{Accept: did.MediaTypeDID})
			if c.want != nil {
				if !errors.Is(err, c.want) || res.DIDResolutionMetadata.Error == nil {
					t.Fatalf("err = %v, want %v", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.DIDDocument.ID != id+c.path || res.DIDDocument.Context[0] != did.ContextV1_1 {
				t.Errorf("document = %+v", res.DIDDocument)
			}
		})
	}
	if _, err := r.Resolve(t.Context(), id, did.ResolutionOptions{VersionID: "1"}); !errors.Is(err, did.ErrFeatureNotSupported) {
		t.Errorf("versionId: %v", err)
	}
}

// countingListener counts the connections that reach it.
func countingListener(t *testing.T) (netip.AddrPort, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String()), &n
}

// TestHostileInputsNeverReachLoopback resolves hostile DIDs, DNS answers and
// redirects aimed at a loopback listener and proves that it accepted nothing.
func TestHostileInputsNeverReachLoopback(t *testing.T) {
	target, accepted := countingListener(t)
	p := target.Port()
	dns := fakeDNS(map[string][]string{
		"rebind.example.com":   {"127.0.0.1"},
		"mixed.example.com":    {"10.0.0.1", "127.0.0.1", "::1"},
		"mapped.example.com":   {"::ffff:127.0.0.1"},
		"compat.example.com":   {"::127.0.0.1"},
		"nat64.example.com":    {"64:ff9b::7f00:1"},
		"metadata.example.com": {"169.254.169.254", "fd00:ec2::254"},
		"zero.example.com":     {"0.0.0.0"},
	})
	r := New(Config{LookupNetIP: dns, Timeout: time.Second})
	cases := []struct {
		id   string
		want error
	}{
		{fmt.Sprintf("did:web:127.0.0.1%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:localhost%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:user%%40127.0.0.1%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:2130706433%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:0x7f000001.0x1%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:%%5B%%3A%%3A1%%5D%%3A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:127.0.0.1%%253A%d", p), ErrInvalidHost},
		{fmt.Sprintf("did:web:rebind.example.com%%3A%d", p), ErrForbiddenAddress},
		{fmt.Sprintf("did:web:mixed.example.com%%3A%d", p), ErrForbiddenAddress},
		{fmt.Sprintf("did:web:mapped.example.com%%3A%d", p), ErrForbiddenAddress},
		{fmt.Sprintf("did:web:compat.example.com%%3A%d", p), ErrForbiddenAddress},
		{fmt.Sprintf("did:web:nat64.example.com%%3A%d", p), ErrForbiddenAddress},
		{fmt.Sprintf("did:web:zero.example.com%%3A%d", p), ErrForbiddenAddress},
		{"did:web:metadata.example.com", ErrForbiddenAddress},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			_, err := r.Resolve(t.Context(), c.id, did.ResolutionOptions{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("redirect to loopback", func(t *testing.T) {
		loc := fmt.Sprintf("https://127.0.0.1:%d/did.json", p)
		rr, id := tlsServer(t, func(w http.ResponseWriter, req *http.Request) { http.Redirect(w, req, loc, http.StatusFound) }, Config{})
		if _, err := rr.Resolve(t.Context(), id, did.ResolutionOptions{}); !errors.Is(err, ErrRedirect) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("dialer control", func(t *testing.T) {
		if err := r.control("tcp4", target.String(), nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("control(%s) = %v", target, err)
		}
	})
	time.Sleep(50 * time.Millisecond) // let any stray connection be accepted and counted
	if n := accepted.Load(); n != 0 {
		t.Fatalf("%d connections reached the loopback listener", n)
	}
}

// TestLeakDetectorWorks is the positive control of the test above: with the listener
// allowed, the same rebinding DID does reach it, so a zero count there means refusal.
func TestLeakDetectorWorks(t *testing.T) {
	target, accepted := countingListener(t)
	r := New(Config{Timeout: time.Second, AllowAddrs: []netip.AddrPort{target},
		LookupNetIP: fakeDNS(map[string][]string{"rebind.example.com": {"127.0.0.1"}})})
	id := fmt.Sprintf("did:web:rebind.example.com%%3A%d", target.Port())
	if _, err := r.Resolve(t.Context(), id, did.ResolutionOptions{}); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
	deadline := time.Now().Add(time.Second)
	for accepted.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if accepted.Load() == 0 {
		t.Fatal("allowed connection was not counted")
	}
}
