package vc

import (
	"fmt"
	"time"
)

// CheckValidity reports whether now, the verifier's clock, lies in the credential's validity
// period (VC 2.0 §4.9; issuanceDate and expirationDate for 1.1): [ErrNotYetValid] before
// validFrom, [ErrExpired] after validUntil, both as RANGE_ERROR problems. The bounds are
// inclusive. A credential without either bound is valid on that side.
func (c *Credential) CheckValidity(now time.Time) error {
	from, until := "validFrom", "validUntil"
	if c.version == Version11 {
		from, until = "issuanceDate", "expirationDate"
	}
	if c.hasFrom && now.Before(c.validFrom) {
		return &Error{Type: RangeError, Path: "/" + from, Err: ErrNotYetValid,
			Detail: fmt.Sprintf("valid from %s, checked at %s", c.validFrom.Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
	}
	if c.hasUntil && now.After(c.validUntil) {
		return &Error{Type: RangeError, Path: "/" + until, Err: ErrExpired,
			Detail: fmt.Sprintf("valid until %s, checked at %s", c.validUntil.Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
	}
	return nil
}
