package ca

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/store"
)

// RenewRequest asks for a new certificate for the same DID, proven by the key of a
// current, unexpired, unrevoked certificate. When the CSR's key differs from the
// current certificate's the renewal is a key rotation.
type RenewRequest struct {
	Owner  string   // the issuing owner's id
	Tenant string   // the requesting tenant
	Actor  string   // who asks, for the audit log; empty means Tenant
	Serial *big.Int // the current certificate's serial
	CSR    []byte   // the new certificate's request, DER or PEM
	// Time is when the agent signed the request; it must be within
	// Options.RenewalSkew of the CA's clock, which bounds replay.
	Time time.Time
	// Signature is by the current certificate's key over RenewalMessage (see
	// SignRenewal).
	Signature []byte
	// RevokeOld revokes the current certificate with reason superseded, in the same
	// transaction.
	RevokeOld bool
	Validity  time.Duration // zero means Options.MaxValidity
}

// RenewalMessage is what a renewal signature covers: the UTF-8 text
//
//	"kakunin-ca renewal v1\n" owner "\n" serial (lower-case hex) "\n"
//	time (RFC 3339, UTC, seconds) "\n" SHA-256 of the CSR's DER (lower-case hex)
//
// Ed25519 keys sign the message itself; ECDSA P-256 and P-384 keys sign its SHA-256
// or SHA-384 (ASN.1 signature); RSA keys sign its SHA-256 with PKCS #1 v1.5.
func RenewalMessage(owner string, serial *big.Int, at time.Time, csrDER []byte) []byte {
	sum := sha256.Sum256(csrDER)
	return fmt.Appendf(nil, "kakunin-ca renewal v1\n%s\n%s\n%s\n%s",
		owner, serial.Text(16), at.UTC().Format(time.RFC3339), hex.EncodeToString(sum[:]))
}

// SignRenewal signs RenewalMessage with the current certificate's key, for an agent
// building a RenewRequest. csr must be DER.
func SignRenewal(rand io.Reader, key crypto.Signer, owner string, serial *big.Int, at time.Time, csrDER []byte) ([]byte, error) {
	msg := RenewalMessage(owner, serial, at, csrDER)
	h, err := renewalHash(key.Public())
	if err != nil {
		return nil, err
	}
	if h == 0 {
		return key.Sign(rand, msg, crypto.Hash(0))
	}
	d := h.New()
	d.Write(msg)
	return key.Sign(rand, d.Sum(nil), h)
}

func renewalHash(pub crypto.PublicKey) (crypto.Hash, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return 0, nil
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize > 256 {
			return crypto.SHA384, nil
		}
		return crypto.SHA256, nil
	case *rsa.PublicKey:
		return crypto.SHA256, nil
	}
	return 0, fmt.Errorf("%w: key type %T", ErrPolicy, pub)
}

// verifyRenewal checks sig over msg with the current certificate's key.
func verifyRenewal(cert *x509.Certificate, msg, sig []byte) error {
	var ok bool
	switch k := cert.PublicKey.(type) {
	case ed25519.PublicKey:
		ok = ed25519.Verify(k, msg, sig)
	case *ecdsa.PublicKey:
		ok = ecdsa.VerifyASN1(k, digest(msg, k.Curve.Params().BitSize > 256), sig)
	case *rsa.PublicKey:
		sum := sha256.Sum256(msg)
		ok = rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig) == nil
	}
	if !ok {
		return &RequestError{Field: "signature", Reason: "not by the current certificate's key", Err: ErrProofOfPossession}
	}
	return nil
}

func digest(msg []byte, sha384 bool) []byte {
	if sha384 {
		sum := sha512.Sum384(msg)
		return sum[:]
	}
	sum := sha256.Sum256(msg)
	return sum[:]
}

// Renew issues a new certificate for the DID of the current certificate r.Serial,
// with that certificate's extra URIs, after checking the new CSR, the request time
// and the signature by the current key; the event is "renewed", the audit entry
// cert.renewed. With RevokeOld the current certificate is revoked (superseded) in
// the same transaction, with its cert.revoked entry, and the CRL reissued; that
// revocation does not call Options.OnRevoke, as the DID keeps the new certificate. Errors are those of Enroll, plus ErrNotFound for an unknown serial and
// ErrPolicy for a current certificate that is revoked or expired.
func (ca *CA) Renew(ctx context.Context, r RenewRequest) (*Issued, error) {
	o, err := ca.owner(r.Owner)
	if err != nil {
		return nil, err
	}
	if err := o.allowed(r.Tenant); err != nil {
		return nil, err
	}
	csr, err := ParseCSR(r.CSR)
	if err != nil {
		return nil, err
	}
	if err := checkCSR(csr); err != nil {
		return nil, err
	}
	current, err := ca.current(ctx, o, r)
	if err != nil {
		return nil, err
	}
	if err := verifyRenewal(current, RenewalMessage(o.id, r.Serial, r.Time, csr.Raw), r.Signature); err != nil {
		return nil, err
	}
	a, err := ca.renewal(current, csr, r.Validity)
	if err != nil {
		return nil, err
	}
	w := o.by(r.Actor, r.Tenant)
	var also func(store.Tx, time.Time) error
	if r.RevokeOld {
		also = func(tx store.Tx, now time.Time) error {
			if _, err := revokeOne(ctx, tx, o.id, r.Serial, store.ReasonSuperseded, w, now); err != nil {
				return err
			}
			return ca.issueCRL(ctx, tx, o, now)
		}
	}
	issued, err := ca.issue(ctx, o, a, w, store.EventRenewed, also)
	if r.RevokeOld {
		ca.ocsp.forget(o.id, r.Serial)
	}
	return issued, err
}

// current returns the certificate being renewed, which must be good, unexpired and
// the request recent.
func (ca *CA) current(ctx context.Context, o *owner, r RenewRequest) (*x509.Certificate, error) {
	now := ca.opts.Now()
	if r.Serial == nil || r.Serial.Sign() <= 0 {
		return nil, invalid("serial", "missing or not positive", nil)
	}
	if d := now.Sub(r.Time); d > ca.opts.RenewalSkew || d < -ca.opts.RenewalSkew {
		return nil, refused("time", fmt.Sprintf("more than %v from the CA's clock", ca.opts.RenewalSkew), nil)
	}
	rec, err := ca.db.Certificate(ctx, o.id, r.Serial)
	if err != nil {
		return nil, mapStore(err)
	}
	switch {
	case rec.State != store.CertGood:
		return nil, refused("serial", "the current certificate is revoked", nil)
	case !now.Before(rec.NotAfter):
		return nil, refused("serial", "the current certificate has expired; enrol again", nil)
	}
	return x509.ParseCertificate(rec.DER)
}

// renewal is the new certificate's content: the current one's DID and extra URIs,
// the new key.
func (ca *CA) renewal(current *x509.Certificate, csr *x509.CertificateRequest, validity time.Duration) (agentCert, error) {
	a := agentCert{pub: csr.PublicKey}
	var err error
	if a.validity, err = ca.validity(validity); err != nil {
		return a, err
	}
	for _, u := range current.URIs {
		if id, perr := kakunin.Parse(u.String()); perr == nil && a.id.IsZero() {
			a.id = id
			continue
		}
		a.extraURIs = append(a.extraURIs, u)
	}
	if a.id.IsZero() {
		return a, fmt.Errorf("ca: current certificate has no DID")
	}
	return a, nil
}
