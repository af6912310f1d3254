// Package web implements the did:web method (W3C CCG "did:web Method
// Specification"): the DID document of did:web:example.com:user:alice is fetched from
// https://example.com/user/alice/did.json.
//
// New returns a Resolver (a did.Resolver) that is safe to expose to untrusted input:
// HTTPS only, no proxies, no redirects, every address checked after DNS resolution in
// the dialer so that no DID can make the resolver connect to a loopback, private,
// link-local or otherwise non-public address (SSRF), and bounded in time and size.
// URL gives the document URL of a DID without fetching it.
package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Config configures New. The zero value is the safe production configuration.
type Config struct {
	// Timeout bounds a whole resolution (DNS, connection, TLS, body); default 10s.
	// The caller's context deadline applies as well.
	Timeout time.Duration
	// MaxBodyBytes bounds the document; default 256 KiB, at most did.MaxDocumentSize.
	MaxBodyBytes int64
	// LookupNetIP resolves host names; default net.DefaultResolver.LookupNetIP. Tests
	// inject a fake to simulate hostile DNS answers.
	LookupNetIP func(ctx context.Context, network, host string) ([]netip.Addr, error)
	// RootCAs are the TLS trust anchors; default the system pool.
	RootCAs *x509.CertPool
	// AllowAddrs exempts exact address:port pairs from the address check. It exists for
	// tests against a local HTTPS server and must stay empty in production.
	AllowAddrs []netip.AddrPort
}

// Resolver resolves did:web DIDs. It is safe for concurrent use.
type Resolver struct {
	cfg    Config
	client *http.Client
}

var _ did.Resolver = (*Resolver)(nil)

// New returns a resolver for cfg.
func New(cfg Config) *Resolver {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxBodyBytes <= 0 || cfg.MaxBodyBytes > did.MaxDocumentSize {
		cfg.MaxBodyBytes = min(256<<10, did.MaxDocumentSize)
	}
	if cfg.LookupNetIP == nil {
		cfg.LookupNetIP = net.DefaultResolver.LookupNetIP
	}
	r := &Resolver{cfg: cfg}
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: r.control}
	tr := &http.Transport{
		Proxy:                  nil, // an environment proxy would connect on our behalf, unchecked
		DialContext:            r.dialContext(dialer),
		TLSClientConfig:        &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.Timeout,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 16 << 10,
		ForceAttemptHTTP2:      true,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        30 * time.Second,
	}
	r.client = &http.Client{
		Transport: tr,
		// The spec says nothing of redirects, and binds the document to the domain
		// named in the DID ("MUST match the common name used in the SSL/TLS
		// certificate"); following one would let another origin answer for the DID.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return r
}

// dialContext resolves the host itself, checks every address, and dials only allowed
// ones, by address, so that DNS cannot change the answer between check and connect.
func (r *Resolver) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		port, err := strconv.ParseUint(portStr, 10, 16)
		if err != nil {
			return nil, err
		}
		ips, err := r.cfg.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, ip := range ips {
			ap := netip.AddrPortFrom(ip, uint16(port)) // IPv4-mapped kept as is: refused
			if err := r.allowed(ap); err != nil {
				errs = append(errs, err)
				continue
			}
			conn, err := d.DialContext(ctx, network, ap.String())
			if err == nil {
				return conn, nil
			}
			errs = append(errs, err)
		}
		if len(errs) == 0 {
			return nil, fmt.Errorf("%w: %s has no addresses", ErrUnreachable, host)
		}
		return nil, errors.Join(errs...)
	}
}

// control is the last check, on the address the socket is about to connect to,
// whatever produced it.
func (r *Resolver) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrForbiddenAddress, address)
	}
	return r.allowed(ap)
}

func (r *Resolver) allowed(ap netip.AddrPort) error {
	if slices.Contains(r.cfg.AllowAddrs, ap) {
		return nil
	}
	return checkAddr(ap.Addr())
}
