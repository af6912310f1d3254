package revocation

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/ocsp"
)

// CheckOCSP asks the certificate's OCSP responders (RFC 6960) and verifies the answer:
// signed by the issuer or by a responder certificate the issuer issued for
// id-kp-OCSPSigning, for this serial and issuer, fresh, echoing the nonce when one was
// sent. A Good or Revoked answer is cached until its nextUpdate.
func (c *Checker) CheckOCSP(ctx context.Context, cert, issuer *x509.Certificate) (Result, error) {
	urls := httpURLs(cert.OCSPServer)
	if c.opts.Transport == nil || len(urls) == 0 {
		return Result{}, fmt.Errorf("%w: no OCSP responder", ErrNoSource)
	}
	id, err := newCertID(cert, issuer, c.opts.OCSPHash)
	if err != nil {
		return Result{}, err
	}
	var errs []error
	for _, url := range urls {
		r, err := c.queryOCSP(ctx, url, id, cert, issuer)
		if err == nil {
			c.ocsps.update(issuerKey(issuer)+cert.SerialNumber.String(), func(Result, bool) (Result, error) { return r, nil })
			return r, nil
		}
		errs = append(errs, &SourceError{Source: SourceOCSP, URL: url, Err: err})
	}
	return Result{}, errors.Join(errs...)
}

func (c *Checker) queryOCSP(ctx context.Context, url string, id certID, cert, issuer *x509.Certificate) (Result, error) {
	req, nonce, err := buildRequest(id, c.opts.OCSPNonce)
	if err != nil {
		return Result{}, err
	}
	der, err := c.opts.Transport.Post(ctx, url, "application/ocsp-request", req, c.opts.MaxOCSPSize)
	if err != nil {
		return Result{}, err
	}
	if int64(len(der)) > c.opts.MaxOCSPSize {
		return Result{}, fmt.Errorf("%w: OCSP response of %d bytes", ErrTooLarge, len(der))
	}
	r, err := VerifyOCSPResponse(der, cert, issuer, OCSPCheck{Now: c.opts.Now(), Nonce: nonce, MaxAge: c.opts.OCSPMaxAge})
	r.URL = url
	return r, err
}

// OCSPCheck holds what [VerifyOCSPResponse] checks a response against.
type OCSPCheck struct {
	Now time.Time
	// Nonce is the nonce sent in the request, or nil when none was sent. A non-nil
	// Nonce must be 1 to 32 octets (RFC 8954 §2.1) and must be echoed in the
	// response's responseExtensions.
	Nonce []byte
	// MaxAge bounds a response without nextUpdate, from its thisUpdate (zero: one hour).
	MaxAge time.Duration
}

// VerifyOCSPResponse checks an OCSP response for cert and returns its answer. err is
// nil only for a verified Good or Revoked answer; "unknown" returns ErrUnknownStatus.
func VerifyOCSPResponse(der []byte, cert, issuer *x509.Certificate, chk OCSPCheck) (Result, error) {
	data, err := parseResponseData(der)
	if err != nil {
		return Result{}, err
	}
	if err := checkCertID(data, cert, issuer); err != nil {
		return Result{}, err
	}
	resp, err := ocsp.ParseResponseForCert(der, cert, nil)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := checkResponder(resp, issuer, chk.Now); err != nil {
		return Result{}, err
	}
	next, err := checkFreshness(resp, chk)
	if err != nil {
		return Result{}, err
	}
	if err := checkNonce(data.Extensions, resp.Extensions, chk.Nonce); err != nil {
		return Result{}, err
	}
	return ocspResult(resp, next)
}

// checkCertID finds the response's CertID for cert's serial and checks the issuer
// name and key hashes under the hash the response used.
func checkCertID(data *responseData, cert, issuer *x509.Certificate) error {
	for _, r := range data.Responses {
		id := r.Cert
		if id.SerialNumber == nil || id.SerialNumber.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		for h, oid := range hashOIDs {
			if !oid.Equal(id.HashAlgorithm.Algorithm) {
				continue
			}
			want, err := newCertID(cert, issuer, h)
			if err != nil {
				return err
			}
			if !bytes.Equal(id.NameHash, want.NameHash) || !bytes.Equal(id.IssuerKeyHash, want.IssuerKeyHash) {
				return fmt.Errorf("%w: OCSP CertID issuer hashes", ErrIssuerMismatch)
			}
			return nil
		}
		return fmt.Errorf("%w: OCSP CertID hash %v", ErrMalformed, id.HashAlgorithm.Algorithm)
	}
	return fmt.Errorf("%w: OCSP response has no answer for serial %x", ErrSerialMismatch, cert.SerialNumber)
}

// checkResponder verifies the response signature: by the issuing CA itself, or by a
// CA Designated Responder. RFC 6960 §4.2.2.2: "OCSP signing delegation SHALL be
// designated by the inclusion of id-kp-OCSPSigning in an extended key usage
// certificate extension included in the OCSP response signer's certificate. This
// certificate MUST be issued directly by the CA that is identified in the request."
// Locally trusted responders are not supported.
func checkResponder(resp *ocsp.Response, issuer *x509.Certificate, now time.Time) error {
	signer := resp.Certificate
	if signer == nil || bytes.Equal(signer.Raw, issuer.Raw) {
		if err := resp.CheckSignatureFrom(issuer); err != nil {
			return fmt.Errorf("%w: OCSP response: %w", ErrBadSignature, err)
		}
		return nil
	}
	// ParseResponseForCert has checked the response signature against signer.
	if err := signer.CheckSignatureFrom(issuer); err != nil {
		return fmt.Errorf("%w: responder certificate not issued by the CA: %w", ErrUnauthorizedResponder, err)
	}
	if !slices.Contains(signer.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning) {
		return fmt.Errorf("%w: responder certificate lacks id-kp-OCSPSigning", ErrUnauthorizedResponder)
	}
	if now.Before(signer.NotBefore) || now.After(signer.NotAfter) {
		return fmt.Errorf("%w: responder certificate outside its validity", ErrUnauthorizedResponder)
	}
	return nil
}

// checkFreshness applies RFC 6960 §3.2: "The time at which the status being indicated
// is known to be correct (thisUpdate) is sufficiently recent" and "When available, the
// time at or before which newer information will be available about the status of the
// certificate (nextUpdate) is greater than the current time." It returns the time
// until which the response may be used: nextUpdate, or thisUpdate + MaxAge without one.
func checkFreshness(resp *ocsp.Response, chk OCSPCheck) (time.Time, error) {
	if chk.Now.Before(resp.ThisUpdate) {
		return time.Time{}, fmt.Errorf("%w: OCSP thisUpdate %v", ErrNotYetValid, resp.ThisUpdate)
	}
	next := resp.NextUpdate
	if next.IsZero() {
		maxAge := chk.MaxAge
		if maxAge <= 0 {
			maxAge = defaultOCSPMaxAge
		}
		next = resp.ThisUpdate.Add(maxAge)
	}
	if chk.Now.After(next) {
		return time.Time{}, fmt.Errorf("%w: OCSP response valid until %v", ErrStale, next)
	}
	return next, nil
}

func ocspResult(resp *ocsp.Response, next time.Time) (Result, error) {
	r := Result{Source: SourceOCSP, ThisUpdate: resp.ThisUpdate, NextUpdate: next}
	switch resp.Status {
	case ocsp.Good:
		r.Status = Good
	case ocsp.Revoked:
		r.Status, r.Reason, r.RevokedAt = Revoked, resp.RevocationReason, resp.RevokedAt
	default:
		return r, fmt.Errorf("%w: OCSP responder does not know serial %x", ErrUnknownStatus, resp.SerialNumber)
	}
	return r, nil
}
