package claims

import (
	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/vc"
)

// Decode reads claims that arrive alone, outside a credential (an issuer's request body), with
// the strict I-JSON rules of jsonin: at most 256 KiB and 16 levels deep. A decoding error is a
// *vc.Error of type PARSING_ERROR.
func Decode(data []byte) (any, error) {
	v, err := jsonin.Decode(data, jsonin.Options{MaxBytes: 256 << 10, MaxDepth: 16})
	if err != nil {
		return nil, &vc.Error{Type: vc.ParsingError, Detail: err.Error(), Err: err}
	}
	return v, nil
}
