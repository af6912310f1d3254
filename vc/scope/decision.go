package scope

import (
	"errors"
	"fmt"
)

// Reason says why a request was allowed or denied.
type Reason string

// Reasons of a [Decision].
const (
	ReasonAllowed             Reason = "allowed"
	ReasonInvalidRequest      Reason = "invalid-request"       // the request itself is malformed
	ReasonNotYetValid         Reason = "not-yet-valid"         // At is before validFrom
	ReasonExpired             Reason = "expired"               // At is after validUntil
	ReasonActionNotGranted    Reason = "action-not-granted"    // no grant names the action
	ReasonResourceNotGranted  Reason = "resource-not-granted"  // grants name the action, not the resource
	ReasonAudienceNotGranted  Reason = "audience-not-granted"  // grants name action and resource, not the audience
	ReasonOutsideTimeWindow   Reason = "outside-time-window"   // limit timeWindows
	ReasonInstrumentDenied    Reason = "instrument-denied"     // limit instruments
	ReasonVenueDenied         Reason = "venue-denied"          // limit venues
	ReasonInputRequired       Reason = "input-required"        // a limit needs a request field that is missing
	ReasonCurrencyMismatch    Reason = "currency-mismatch"     // maxAmount or dailyVolume in another currency
	ReasonMaxAmountExceeded   Reason = "max-amount-exceeded"   // limit maxAmount
	ReasonDailyVolumeExceeded Reason = "daily-volume-exceeded" // limit dailyVolume
	ReasonRateExceeded        Reason = "rate-exceeded"         // limit rate
)

// Decision is the answer of [Scope.Allows].
type Decision struct {
	Allowed bool   `json:"allowed"`
	Reason  Reason `json:"reason"`
	// Grant is the index in Scope.Grants of the grant that allowed the request, or of the
	// first grant that matched it and whose limit denied it; -1 when no grant applied.
	Grant int `json:"grant"`
	// Limit is the member name of the limit that denied the request ("maxAmount",
	// "dailyVolume", "rate", "instruments", "venues", "timeWindows"), or "".
	Limit  string `json:"limit,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// ErrDenied is wrapped by the error of a denied [Decision].
var ErrDenied = errors.New("scope: request denied")

// DeniedError is the error form of a denied Decision.
type DeniedError struct{ Decision Decision }

func (e *DeniedError) Error() string {
	d := e.Decision
	msg := fmt.Sprintf("%v: %s", ErrDenied, d.Reason)
	if d.Grant >= 0 {
		msg += fmt.Sprintf(" (grant %d", d.Grant)
		if d.Limit != "" {
			msg += ", limit " + d.Limit
		}
		msg += ")"
	}
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	return msg
}

func (e *DeniedError) Unwrap() error { return ErrDenied }

// Err returns nil for an allowed decision and a *DeniedError wrapping ErrDenied otherwise.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DeniedError{Decision: d}
}

func allow(grant int) Decision {
	return Decision{Allowed: true, Reason: ReasonAllowed, Grant: grant}
}

func deny(r Reason, grant int, limit, format string, args ...any) Decision {
	return Decision{Reason: r, Grant: grant, Limit: limit, Detail: fmt.Sprintf(format, args...)}
}
