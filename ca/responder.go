package ca

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// oidOCSPNoCheck is id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): "A CA may specify
// that an OCSP client can trust a responder for the lifetime of the responder's
// certificate. The CA does so by including the extension id-pkix-ocsp-nocheck. This
// SHOULD be a non-critical extension. The value of the extension SHOULD be NULL."
// The CA keeps responder certificates short-lived for that reason.
var oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

// responder is a CA Designated Responder (RFC 6960 §4.2.2.2): a certificate the
// owner CA issues for id-kp-OCSPSigning, and its key. The key is an ECDSA P-256 key
// made in memory: it is replaced with its certificate, so nothing is lost on restart.
type responder struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// fresh reports whether r is less than half way through its validity at now.
func (r *responder) fresh(now time.Time) bool {
	return r != nil && now.Before(r.cert.NotBefore.Add(r.cert.NotAfter.Sub(r.cert.NotBefore)/2))
}

// responderFor returns o's current responder, issuing a new one first when the
// current one is past half of its validity.
func (ca *CA) responderFor(ctx context.Context, o *owner) (*responder, error) {
	if r := o.currentResponder(); r.fresh(ca.opts.Now()) {
		return r, nil
	}
	if err := ca.refreshResponder(ctx, o); err != nil {
		return nil, err
	}
	return o.currentResponder(), nil
}

func (o *owner) currentResponder() *responder {
	return o.responder.Load()
}

// refreshResponder issues a new responder certificate for o unless the current one
// is fresh. Its serial is allocated in the registry, so it never collides with an
// agent certificate's.
func (ca *CA) refreshResponder(ctx context.Context, o *owner) error {
	o.respMu.Lock()
	defer o.respMu.Unlock()
	now := ca.opts.Now()
	if o.responder.Load().fresh(now) {
		return nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), ca.opts.Rand)
	if err != nil {
		return fmt.Errorf("ca: responder key: %w", err)
	}
	var serial *big.Int
	err = ca.db.Tx(ctx, func(tx store.Tx) error {
		var err error
		serial, err = tx.AllocateSerial(ctx, o.id, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("ca: responder serial for owner %q: %w", o.id, mapStore(err))
	}
	cert, err := ca.signResponderCert(o, key, serial, now)
	if err != nil {
		return err
	}
	o.responder.Store(&responder{cert: cert, key: key})
	return nil
}

func (ca *CA) signResponderCert(o *owner, key *ecdsa.PrivateKey, serial *big.Int, now time.Time) (*x509.Certificate, error) {
	ski, err := keyID(key.Public())
	if err != nil {
		return nil, err
	}
	from := now.Add(-backdate).Truncate(time.Second)
	to := from.Add(ca.opts.ResponderValidity)
	if to.After(o.cert.NotAfter) {
		to = o.cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "kakunin OCSP responder " + o.id},
		NotBefore:             from,
		NotAfter:              to,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		SubjectKeyId:          ski,
		ExtraExtensions:       []pkix.Extension{{Id: oidOCSPNoCheck, Value: asn1.NullBytes}},
	}
	der, err := x509.CreateCertificate(ca.opts.Rand, tmpl, o.cert, key.Public(), o.signer)
	if err != nil {
		return nil, fmt.Errorf("ca: signing responder certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}
