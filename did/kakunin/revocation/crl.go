package revocation

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// crlEntry is a verified CRL, indexed by serial number.
type crlEntry struct {
	number     *big.Int
	thisUpdate time.Time
	nextUpdate time.Time
	url        string
	revoked    map[string]x509.RevocationListEntry // by serial.String()
}

// result answers for cert from the CRL, or returns ErrStale past the stale window.
func (e *crlEntry) result(cert *x509.Certificate, now time.Time, staleWindow time.Duration) (Result, error) {
	if now.Before(e.thisUpdate) {
		return Result{}, fmt.Errorf("%w: CRL thisUpdate %v", ErrNotYetValid, e.thisUpdate)
	}
	stale := now.After(e.nextUpdate)
	if stale && now.After(e.nextUpdate.Add(staleWindow)) {
		return Result{}, fmt.Errorf("%w: CRL nextUpdate %v", ErrStale, e.nextUpdate)
	}
	r := Result{Status: Good, Source: SourceCRL, ThisUpdate: e.thisUpdate, NextUpdate: e.nextUpdate, Stale: stale, URL: e.url}
	if entry, ok := e.revoked[cert.SerialNumber.String()]; ok {
		r.Status, r.Reason, r.RevokedAt = Revoked, entry.ReasonCode, entry.RevocationTime
	}
	return r, nil
}

// CheckCRL answers from a CRL only: the local source's, else one fetched from the
// certificate's distribution points. A verified CRL replaces the cached one unless its
// cRLNumber is lower.
func (c *Checker) CheckCRL(ctx context.Context, cert, issuer *x509.Certificate) (Result, error) {
	now := c.opts.Now()
	var errs []error
	if c.opts.CRLSource != nil {
		der, err := c.opts.CRLSource.CRL(ctx, issuer)
		if err == nil && int64(len(der)) > c.opts.MaxCRLSize {
			err = fmt.Errorf("%w: CRL of %d bytes", ErrTooLarge, len(der))
		}
		if err == nil {
			r, err := c.useCRL(der, "", cert, issuer, now)
			if err == nil {
				return r, nil
			}
			errs = append(errs, &SourceError{Source: SourceCRL, Err: err})
		} else {
			errs = append(errs, &SourceError{Source: SourceCRL, Err: err})
		}
	}
	for _, url := range httpURLs(cert.CRLDistributionPoints) {
		if c.opts.Transport == nil {
			break
		}
		der, err := c.opts.Transport.Get(ctx, url, c.opts.MaxCRLSize)
		if err == nil && int64(len(der)) > c.opts.MaxCRLSize {
			err = fmt.Errorf("%w: CRL of %d bytes", ErrTooLarge, len(der))
		}
		if err == nil {
			var r Result
			if r, err = c.useCRL(der, url, cert, issuer, now); err == nil {
				return r, nil
			}
		}
		errs = append(errs, &SourceError{Source: SourceCRL, URL: url, Err: err})
	}
	if len(errs) == 0 {
		return Result{}, fmt.Errorf("%w: no CRL source", ErrNoSource)
	}
	return Result{}, errors.Join(errs...)
}

func httpURLs(urls []string) []string {
	var out []string
	for _, u := range urls {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			out = append(out, u)
		}
	}
	return out
}

// useCRL verifies der, stores it if it is not older than the cached CRL, and answers
// for cert from the newest CRL accepted for issuer.
func (c *Checker) useCRL(der []byte, url string, cert, issuer *x509.Certificate, now time.Time) (Result, error) {
	entry, err := verifyCRL(der, issuer, now)
	if err != nil {
		return Result{}, err
	}
	entry.url = url
	var current *crlEntry
	err = c.crls.update(issuerKey(issuer), func(old *crlEntry, ok bool) (*crlEntry, error) {
		if ok && entry.number.Cmp(old.number) < 0 {
			return nil, fmt.Errorf("%w: cRLNumber %v after %v", ErrCRLNumberRegressed, entry.number, old.number)
		}
		if ok && entry.number.Cmp(old.number) == 0 && !entry.thisUpdate.After(old.thisUpdate) {
			current = old
			return old, nil
		}
		current = entry
		return entry, nil
	})
	if err != nil {
		return Result{}, err
	}
	return current.result(cert, now, c.opts.CRLStaleWindow)
}

// verifyCRL parses der and checks it as RFC 5280 §6.3.3 asks of a complete CRL issued
// directly by issuer: signature, issuer name and key identifier, cRLNumber present,
// thisUpdate not in the future, nextUpdate present, and no critical extension this
// package does not process (delta CRLs, issuing distribution points, indirect CRL
// entries are refused rather than misread).
func verifyCRL(der []byte, issuer *x509.Certificate, now time.Time) (*crlEntry, error) {
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) {
		return nil, fmt.Errorf("%w: CRL issuer is not the certificate issuer", ErrIssuerMismatch)
	}
	if len(crl.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 && !bytes.Equal(crl.AuthorityKeyId, issuer.SubjectKeyId) {
		return nil, fmt.Errorf("%w: CRL authority key identifier", ErrIssuerMismatch)
	}
	if err := crl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("%w: CRL: %w", ErrBadSignature, err)
	}
	if err := checkCRLProfile(crl); err != nil {
		return nil, err
	}
	if now.Before(crl.ThisUpdate) {
		return nil, fmt.Errorf("%w: CRL thisUpdate %v", ErrNotYetValid, crl.ThisUpdate)
	}
	return indexCRL(crl), nil
}

func checkCRLProfile(crl *x509.RevocationList) error {
	// RFC 5280 §5.2.3: "CRL issuers conforming to this profile MUST include this
	// extension [cRLNumber] in all CRLs"; §5.1.2.5: "Conforming CRL issuers MUST
	// include the nextUpdate time in all CRLs."
	if crl.Number == nil || crl.Number.Sign() < 0 {
		return fmt.Errorf("%w: CRL has no cRLNumber", ErrMalformed)
	}
	if crl.NextUpdate.IsZero() || crl.NextUpdate.Before(crl.ThisUpdate) {
		return fmt.Errorf("%w: CRL has no usable nextUpdate", ErrMalformed)
	}
	for _, ext := range crl.Extensions {
		if ext.Critical {
			return fmt.Errorf("%w: CRL has unsupported critical extension %v", ErrMalformed, ext.Id)
		}
	}
	for _, entry := range crl.RevokedCertificateEntries {
		for _, ext := range entry.Extensions {
			if ext.Critical {
				return fmt.Errorf("%w: CRL entry has unsupported critical extension %v", ErrMalformed, ext.Id)
			}
		}
	}
	return nil
}

func indexCRL(crl *x509.RevocationList) *crlEntry {
	e := &crlEntry{
		number: crl.Number, thisUpdate: crl.ThisUpdate, nextUpdate: crl.NextUpdate,
		revoked: make(map[string]x509.RevocationListEntry, len(crl.RevokedCertificateEntries)),
	}
	for _, entry := range crl.RevokedCertificateEntries {
		// removeFromCRL (8) only appears in delta CRLs, refused above.
		e.revoked[entry.SerialNumber.String()] = x509.RevocationListEntry{
			SerialNumber: entry.SerialNumber, RevocationTime: entry.RevocationTime, ReasonCode: entry.ReasonCode,
		}
	}
	return e
}
