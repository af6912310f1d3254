package revocation

import (
	"bytes"
	"crypto/x509/pkix"
	"fmt"
	"slices"
)

// checkNonce checks the responseExtensions (see [responseNonce]) and requires them
// to echo the request's nonce, when one was sent. RFC 8954 §2.1: "The nonce is
// included as one of the requestExtensions in requests; in responses, it would be
// included as one of the responseExtensions. In both the request and the response,
// the nonce will be identified by the object identifier id-pkix-ocsp-nonce, while the
// extnValue is the value of the nonce." with "Nonce ::= OCTET STRING(SIZE(1..32))":
// the extnValue must be exactly the DER OCTET STRING of the nonce sent.
//
// A nonce found only in the singleExtensions of a SingleResponse (where
// golang.org/x/crypto/ocsp.CreateResponse puts ExtraExtensions) is rejected: the
// request's nonce belongs to the whole request, so its echo belongs to the whole
// response, where the RFC puts it; accepting it elsewhere would only hide a
// non-conforming responder.
func checkNonce(respExts, singleExts []pkix.Extension, nonce []byte) error {
	got, found, err := responseNonce(respExts)
	switch {
	case err != nil:
		return err
	case nonce == nil:
		return nil
	case len(nonce) == 0 || len(nonce) > nonceSize:
		return fmt.Errorf("%w: request nonce of %d octets, RFC 8954 allows 1 to %d", ErrNonceMismatch, len(nonce), nonceSize)
	case found && bytes.Equal(got, mustMarshalOctets(nonce)):
		return nil
	case found:
		return fmt.Errorf("%w: different nonce", ErrNonceMismatch)
	case slices.ContainsFunc(singleExts, isNonce):
		return fmt.Errorf("%w: nonce in singleExtensions, not responseExtensions", ErrNonceMismatch)
	}
	return fmt.Errorf("%w: response has no nonce", ErrNonceMismatch)
}

// responseNonce returns the extnValue of the nonce among the responseExtensions and
// whether there is one. RFC 6960 §4.4 follows the extension model of X.509 v3
// certificates, where RFC 5280 §4.2 has a relying party "reject the certificate if it
// encounters a critical extension it does not recognize" and forbids "more than one
// instance of a particular extension": a response breaking either is malformed.
func responseNonce(exts []pkix.Extension) (nonce []byte, found bool, err error) {
	for i, ext := range exts {
		for _, prev := range exts[:i] {
			if prev.Id.Equal(ext.Id) {
				return nil, false, fmt.Errorf("%w: repeated OCSP response extension %v", ErrMalformed, ext.Id)
			}
		}
		switch {
		case isNonce(ext):
			nonce, found = ext.Value, true
		case ext.Critical:
			return nil, false, fmt.Errorf("%w: unsupported critical OCSP response extension %v", ErrMalformed, ext.Id)
		}
	}
	return nonce, found, nil
}

func isNonce(ext pkix.Extension) bool { return ext.Id.Equal(oidNonce) }
