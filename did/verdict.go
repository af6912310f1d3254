package did

import (
	"context"
	"errors"
)

// HasAssertionMethod reports whether the document lists, under assertionMethod, at least one
// verification method it defines (by reference to verificationMethod or embedded): whether
// the DID subject currently holds a key it can make assertions with.
//
// For did:kakunin this is the test of a currently valid agent certificate, which vc/issuer
// and vc/verifier apply to credential subjects: the methods of each valid certificate are
// listed under authentication and assertionMethod, the owner key (#owner) only under
// capabilityInvocation (spec/did-kakunin.md §9.1), and a DID whose certificates have all
// expired or been revoked resolves to a document with no agent verification method
// (§7.4). Counting verificationMethod would always find #owner.
func (d *Document) HasAssertionMethod() bool {
	for _, r := range d.AssertionMethod {
		if r.Embedded != nil {
			return true
		}
		if _, ok := d.VerificationMethodByID(r.Ref); ok {
			return true
		}
	}
	return false
}

// unresolvableKinds are the error kinds that describe the DID itself rather than a failure
// of the resolver.
var unresolvableKinds = []error{ErrInvalidDID, ErrInvalidDIDURL, ErrNotFound, ErrMethodNotSupported, ErrInvalidDocument}

// IsUnresolvable reports whether err, returned by a Resolver, says that the DID cannot be
// resolved — it is invalid, its method does not know it, the resolver does not support its
// method, or the document published for it is invalid — as opposed to a failure of the
// resolution (a store, INTERNAL_ERROR, a timeout or a cancelled context, even one a method
// reports as NOT_FOUND) that a later attempt may not meet. A caller judging a DID treats the
// first as a verdict about the DID and propagates the second. Deactivation (ErrDeactivated)
// is neither: check it first.
func IsUnresolvable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	for _, k := range unresolvableKinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
