package sqlstore

import (
	"fmt"
	"math/big"
	"time"
)

// timeCol scans a stored time, whichever form the backend uses, as UTC.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot read %T as a time", src)
	}
	return nil
}

// serialCol scans a serial stored as big-endian octets (NULL gives nil).
type serialCol struct{ s **big.Int }

func (c serialCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.s = nil
	case []byte:
		*c.s = new(big.Int).SetBytes(v)
	default:
		return fmt.Errorf("sqlstore: cannot read %T as a serial", src)
	}
	return nil
}

// serialArg is the stored form of a serial: its minimal big-endian octets.
func serialArg(s *big.Int) any {
	if s == nil {
		return nil
	}
	return s.Bytes()
}

// micro truncates t to the stored precision.
func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond).UTC() }
