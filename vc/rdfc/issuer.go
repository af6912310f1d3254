package rdfc

import "slices"

// issuer is a temporary identifier issuer with prefix "b" (RDFC-1.0 § 4.3): order[k] is
// the blank node that was issued "b<k>". Temporary issuers hold the few blank nodes of
// one gossip path, so a linear look-up beats a map.
type issuer struct {
	order []int32
}

func (is *issuer) lookup(b int32) int {
	return slices.Index(is.order, b)
}

// issue is the Issue Identifier algorithm (§ 4.5): it returns the number of b's
// identifier, issuing the next one if b has none.
func (is *issuer) issue(b int32) int {
	if k := is.lookup(b); k >= 0 {
		return k
	}
	is.order = append(is.order, b)
	return len(is.order) - 1
}

func (is *issuer) clone() *issuer {
	return &issuer{order: slices.Clone(is.order)}
}
