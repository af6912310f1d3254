package ca

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// OCSPResponse is the responder's answer to one OCSP request.
type OCSPResponse struct {
	// DER is the OCSPResponse to send (with HTTP status 200, whatever its
	// responseStatus, as RFC 6960 Appendix A.1 expects).
	DER []byte
	// ThisUpdate and NextUpdate are those of a successful response, zero otherwise.
	ThisUpdate, NextUpdate time.Time
	// Cacheable reports a successful response without a nonce, which HTTP caches may
	// keep until NextUpdate (RFC 5019 §6.2).
	Cacheable bool
}

// issuerHashes are an owner CA's issuerNameHash and issuerKeyHash under each CertID
// hash the responder accepts.
type issuerHashes map[crypto.Hash][2][]byte

func newIssuerHashes(cert *x509.Certificate) (issuerHashes, error) {
	keyBits, err := subjectPublicKeyBits(cert.RawSubjectPublicKeyInfo)
	if err != nil {
		return nil, fmt.Errorf("ca: owner public key: %w", err)
	}
	out := make(issuerHashes, len(hashByOID))
	for _, h := range hashByOID {
		name, key := h.hash.New(), h.hash.New()
		name.Write(cert.RawSubject)
		key.Write(keyBits)
		out[h.hash] = [2][]byte{name.Sum(nil), key.Sum(nil)}
	}
	return out, nil
}

func (h issuerHashes) match(id certID) bool {
	want, ok := h[id.hash]
	return ok && bytes.Equal(want[0], id.nameHash) && bytes.Equal(want[1], id.keyHash)
}

// OCSP answers a DER OCSP request (RFC 6960) for the certificates of owner id. It
// always returns a response to send: malformedRequest for a request that does not
// parse (or breaks the nonce bounds of RFC 8954), unauthorized when the owner is not
// loaded or a CertID names another issuer, otherwise good, revoked or unknown for
// each CertID, signed by the owner's delegated responder and echoing the nonce.
// Nonce-less single answers are cached until half their validity has passed or the
// serial is revoked through this CA. err is set only with an internalError response.
func (ca *CA) OCSP(ctx context.Context, id string, request []byte) (*OCSPResponse, error) {
	req, err := parseOCSPRequest(request)
	if err != nil {
		return &OCSPResponse{DER: errorResponse(statusMalformedRequest)}, nil
	}
	o, err := ca.owner(id)
	if err != nil {
		return &OCSPResponse{DER: errorResponse(statusUnauthorized)}, nil
	}
	for _, c := range req.certs {
		if !o.hashes.match(c) {
			return &OCSPResponse{DER: errorResponse(statusUnauthorized)}, nil
		}
	}
	now := ca.opts.Now()
	cacheable := len(req.certs) == 1 && req.nonce == nil
	var key string
	if cacheable {
		key = cacheKey(o.id, req.certs[0].hash, req.certs[0].serial)
		if e, ok := ca.ocsp.get(key, now); ok {
			return &OCSPResponse{DER: e.der, ThisUpdate: e.thisUpdate, NextUpdate: e.nextUpdate, Cacheable: true}, nil
		}
	}
	resp, known, err := ca.answer(ctx, o, req, now, key)
	if err != nil {
		return &OCSPResponse{DER: errorResponse(statusInternalError)}, err
	}
	resp.Cacheable = cacheable && known
	return resp, nil
}

// answer looks up and signs the answers to req; known reports that every serial was
// found. A single nonce-less known answer is cached under key.
func (ca *CA) answer(ctx context.Context, o *owner, req *ocspRequest, now time.Time, key string) (*OCSPResponse, bool, error) {
	epoch := ca.ocsp.begin()
	answers := make([]answer, len(req.certs))
	known := true
	for i, c := range req.certs {
		a, err := ca.lookup(ctx, o, c)
		if err != nil {
			return nil, false, err
		}
		answers[i] = a
		known = known && a.status != 2
	}
	r, err := ca.responderFor(ctx, o)
	if err != nil {
		return nil, false, err
	}
	this := now.Add(-backdate).Truncate(time.Second)
	next := this.Add(ca.opts.OCSPValidity)
	if next.After(r.cert.NotAfter) {
		next = r.cert.NotAfter
	}
	der, err := signResponse(ca.opts.Rand, r, answers, req.nonce, now, this, next)
	if err != nil {
		return nil, false, err
	}
	if key != "" && known {
		ca.ocsp.put(key, cachedResponse{der: der, thisUpdate: this, nextUpdate: next, staleAt: this.Add(next.Sub(this) / 2)}, epoch)
	}
	return &OCSPResponse{DER: der, ThisUpdate: this, NextUpdate: next}, known, nil
}

// lookup returns the registry's status of one CertID: unknown when the serial was
// never recorded for this owner.
func (ca *CA) lookup(ctx context.Context, o *owner, c certID) (answer, error) {
	rec, err := ca.db.Certificate(ctx, o.id, c.serial)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return answer{id: c, status: 2}, nil
	case err != nil:
		return answer{}, err
	case rec.State == store.CertRevoked:
		return answer{id: c, status: 1, revokedAt: rec.RevokedAt, reason: int(rec.Reason)}, nil
	}
	return answer{id: c}, nil
}
