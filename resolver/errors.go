package resolver

import (
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

// Errors of this package. Each wraps, or is returned together with, the did.ErrorKind
// that fixes its problem type and HTTP status.
var (
	// ErrDuplicateMethod is returned by Register for a method registered twice.
	ErrDuplicateMethod = errors.New("resolver: method already registered")
	// ErrInvalidMethodName is returned by Register for a name that is not a DID method
	// name (one or more of a-z and 0-9).
	ErrInvalidMethodName = errors.New("resolver: invalid method name")
	// ErrIDMismatch is wrapped (with did.ErrInvalidDocument) when a method returns a
	// document whose id is neither the DID asked for nor its canonicalId. DID
	// Resolution § 4: "The value of id in the resolved DID document MUST be string
	// equal to the DID that was resolved."
	ErrIDMismatch = errors.New("resolver: document id does not match the DID")
	// ErrBadCanonicalID is wrapped (with did.ErrInvalidDocument) when canonicalId is
	// not a DID of the same method.
	ErrBadCanonicalID = errors.New("resolver: canonicalId is not a DID of the same method")
)

// withKind wraps err in kind unless err already carries an ErrorKind; errors of no
// kind (a context deadline, say) would otherwise all read as INTERNAL_ERROR.
func withKind(kind *did.ErrorKind, err error) error {
	var k *did.ErrorKind
	if errors.As(err, &k) {
		return err
	}
	return fmt.Errorf("%w: %w", kind, err)
}
