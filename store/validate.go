package store

import (
	"math/big"
	"time"
	"unicode/utf8"
)

// Validate checks the bounds of an owner record.
func (o Owner) Validate() error {
	return first(
		checkText("owner id", o.ID, MaxIDLen, true),
		checkText("owner key", o.OwnerKey, MaxKeyLen, true),
		checkBytes("owner certificate", o.CertDER, MaxDERLen),
		checkText("tenant id", o.TenantID, MaxIDLen, false),
		checkTime("owner created", o.Created),
	)
}

// Validate checks the bounds of a certificate record before it is stored.
func (c Certificate) Validate() error {
	return first(
		checkText("issuer id", c.IssuerID, MaxIDLen, true),
		CheckSerial(c.Serial),
		checkText("DID", c.DID, MaxDIDLen, true),
		checkBytes("certificate", c.DER, MaxDERLen),
		checkTime("notBefore", c.NotBefore),
		checkTime("notAfter", c.NotAfter),
		checkOrder(c.NotBefore, c.NotAfter),
	)
}

// Validate checks an event before it is appended.
func (e Event) Validate() error {
	switch e.Kind {
	case EventIssued, EventRenewed, EventRevoked, EventPublished:
	case EventDeactivated:
		return &FieldError{"event kind", "deactivation is recorded with Tx.Deactivate"}
	case EventLinked:
		return &FieldError{"event kind", "links are recorded with Tx.Link"}
	default:
		return &FieldError{"event kind", "unknown kind"}
	}
	return first(
		checkText("DID", e.DID, MaxDIDLen, true),
		checkTime("event time", e.Time),
		checkText("issuer id", e.IssuerID, MaxIDLen, true),
		CheckSerial(e.Serial),
	)
}

// Validate checks a CRL record before it is stored.
func (c CRL) Validate() error {
	if c.Number < 0 {
		return &FieldError{"cRLNumber", "negative"}
	}
	return first(
		checkText("issuer id", c.IssuerID, MaxIDLen, true),
		checkBytes("CRL", c.DER, MaxCRLLen),
		checkTime("thisUpdate", c.ThisUpdate),
		checkTime("nextUpdate", c.NextUpdate),
		checkOrder(c.ThisUpdate, c.NextUpdate),
	)
}

// CheckSerial reports whether s is a serial the registry accepts: positive and at
// most 20 octets, as RFC 5280 §4.1.2.2 requires of conforming CAs.
func CheckSerial(s *big.Int) error {
	switch {
	case s == nil:
		return &FieldError{"serial", "missing"}
	case s.Sign() <= 0:
		return &FieldError{"serial", "not positive"}
	case len(s.Bytes()) > MaxSerialLen:
		return &FieldError{"serial", "longer than 20 octets"}
	}
	return nil
}

func checkText(field, s string, max int, required bool) error {
	switch {
	case required && s == "":
		return &FieldError{field, "empty"}
	case len(s) > max:
		return &FieldError{field, "too long"}
	case !utf8.ValidString(s):
		return &FieldError{field, "not UTF-8"}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return &FieldError{field, "contains NUL"}
		}
	}
	return nil
}

func checkBytes(field string, b []byte, max int) error {
	switch {
	case len(b) == 0:
		return &FieldError{field, "empty"}
	case len(b) > max:
		return &FieldError{field, "too large"}
	}
	return nil
}

func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return &FieldError{field, "zero time"}
	}
	if y := t.Year(); y < 1 || y > 9999 {
		return &FieldError{field, "year out of range"}
	}
	return nil
}

func checkOrder(from, to time.Time) error {
	if to.Before(from) {
		return &FieldError{"validity", "ends before it starts"}
	}
	return nil
}

func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
