package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"time"
)

// selfSignedValidity is the life of a --tls-self-signed certificate.
const selfSignedValidity = 7 * 24 * time.Hour

// tlsConfig returns the server's TLS configuration (nil for plain HTTP): the
// --tls-cert/--tls-key pair, or with --tls-self-signed a fresh certificate for the
// listen host and localhost, whose fingerprint is printed to out.
func tlsConfig(cfg serveConfig, out io.Writer) (*tls.Config, error) {
	var pair tls.Certificate
	var err error
	switch {
	case cfg.TLSCert != "":
		pair, err = tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	case cfg.TLSSelf:
		pair, err = selfSigned(cfg.Addr, time.Now())
		if err == nil {
			fmt.Fprintf(out, "kakunin: TLS with a self-signed certificate (development only), SHA-256 %X\n",
				sha256.Sum256(pair.Certificate[0]))
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("TLS: %w", err)
	}
	// ALPN offers HTTP/2 first: net/http serves h2 on connections that negotiate it.
	// Client certificates are requested, not verified here: the CA's mTLS renewal
	// route verifies an agent's own certificate against the owner CA it names, at
	// the CA's clock, and answers a problem rather than a handshake alert; owners
	// added at run time then need no client CA pool to reload. The handshake still
	// proves that the client holds the certificate's key (CertificateVerify).
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"}, ClientAuth: tls.RequestClientCert}, nil
}

// selfSigned makes an ECDSA P-256 certificate for the host of addr, localhost,
// 127.0.0.1 and ::1. Its key lives only in memory.
func selfSigned(addr string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      pkix.Name{CommonName: "kakunin development server"},
		NotBefore:    now.Add(-time.Minute), NotAfter: now.Add(selfSignedValidity),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
