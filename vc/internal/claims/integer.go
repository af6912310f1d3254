package claims

import (
	"encoding/json"
	"strconv"
)

// Integer returns a required integer member in [min, max]. JSON numbers arrive as json.Number
// from vc.ParseCredential and as float64 from encoding/json; both are accepted.
func (o Object) Integer(name string, min, max int64) (int64, error) {
	p := At(o.Path, name)
	v, ok := o.Members[name]
	if !ok {
		return 0, Malformed(p, nil, "%s is required", name)
	}
	var n int64
	var err error
	switch v := v.(type) {
	case json.Number:
		if n, err = strconv.ParseInt(string(v), 10, 64); err != nil {
			n, err = integral(string(v))
		}
	case float64:
		n, err = integral(strconv.FormatFloat(v, 'g', -1, 64))
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || n < min || n > max {
		return 0, Malformed(p, nil, "must be an integer from %d to %d", min, max)
	}
	return n, nil
}

// integral accepts a number literal with a zero fraction ("10.0", "1e1"), as JSON Schema's
// "integer" type does, when it is small enough to be exact.
func integral(s string) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, strconv.ErrSyntax
	}
	return int64(f), nil
}
