package rdfc

import (
	"bytes"
	"slices"
)

// label runs steps 3 to 5 of the canonicalization algorithm (RDFC-1.0 § 4.4.3): first-degree
// hashes, canonical identifiers for unique hashes, then N-degree hashes for the rest.
func (st *state) label() error {
	for b := range st.bnodes {
		st.hashFirstDegree(int32(b))
	}
	groups := st.groups[:0]
	for b := range st.bnodes {
		groups = append(groups, int32(b))
	}
	// Code point order of hex digests is the byte order of the digests. The sort is
	// stable so that blank nodes sharing a hash keep their input order.
	slices.SortStableFunc(groups, func(a, b int32) int {
		return bytes.Compare(st.first(a), st.first(b))
	})
	st.groups, st.order = groups, st.order[:0]
	var shared [][]int32
	for i := 0; i < len(groups); {
		j := i + 1
		for j < len(groups) && bytes.Equal(st.first(groups[i]), st.first(groups[j])) {
			j++
		}
		if j == i+1 {
			st.issueCanonical(groups[i])
		} else {
			shared = append(shared, groups[i:j])
		}
		i = j
	}
	for _, list := range shared {
		if err := st.labelShared(list); err != nil {
			return err
		}
	}
	return nil
}

func (st *state) first(b int32) []byte { return st.bnodes[b].first[:st.size] }

// issueCanonical is the Issue Identifier algorithm (§ 4.5) for the canonical issuer.
func (st *state) issueCanonical(b int32) {
	if st.bnodes[b].canon >= 0 {
		return
	}
	st.bnodes[b].canon = st.canonN
	st.canonN++
	st.order = append(st.order, b)
}

// labelShared is step 5 of the canonicalization algorithm (§ 4.4.3) for one list of blank
// nodes sharing a first-degree hash.
func (st *state) labelShared(list []int32) error {
	type result struct {
		h  digest
		is *issuer
	}
	var results []result
	for _, b := range list {
		if st.bnodes[b].canon >= 0 {
			continue
		}
		tmp := &issuer{}
		tmp.issue(b)
		h, is, err := st.hashNDegree(b, tmp, 0)
		if err != nil {
			return err
		}
		results = append(results, result{h, is})
	}
	slices.SortStableFunc(results, func(a, b result) int {
		return bytes.Compare(a.h[:st.size], b.h[:st.size])
	})
	for _, r := range results {
		for _, b := range r.is.order {
			st.issueCanonical(b)
		}
	}
	return nil
}
