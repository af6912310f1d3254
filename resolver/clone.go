package resolver

import (
	"slices"

	"github.com/kakunin-dev/kakunin/did"
)

// cloneDocument copies what rendering changes: the @context, and, when deep is set
// (ExpandRelativeURLs rewrites ids and references), the methods, relationships and
// services. Key material and extension maps stay shared; nothing here writes them.
func cloneDocument(d *did.Document, deep bool) *did.Document {
	c := *d
	c.Context = slices.Clone(d.Context)
	if !deep {
		return &c
	}
	c.VerificationMethod = slices.Clone(d.VerificationMethod)
	c.Service = slices.Clone(d.Service)
	for _, p := range []*[]did.MethodRef{&c.Authentication, &c.AssertionMethod, &c.KeyAgreement,
		&c.CapabilityInvocation, &c.CapabilityDelegation} {
		*p = cloneRefs(*p)
	}
	return &c
}

func cloneRefs(refs []did.MethodRef) []did.MethodRef {
	out := slices.Clone(refs)
	for i := range out {
		if e := out[i].Embedded; e != nil {
			vm := *e
			out[i].Embedded = &vm
		}
	}
	return out
}
