package rdfc

import (
	"bytes"
	"slices"
	"strconv"
)

// relatedNode is one entry of the map Hn of Hash N-Degree Quads: a related hash and the
// blank node it was computed for.
type relatedNode struct {
	h digest
	b int32
}

// frame holds the buffers of one recursion depth of Hash N-Degree Quads.
type frame struct {
	pairs              []relatedNode
	list, rec          []int32
	perm               []int
	data, path, chosen []byte
	chosenSet          bool
}

func (st *state) frameAt(depth int) *frame {
	for len(st.frames) <= depth {
		st.frames = append(st.frames, new(frame))
	}
	return st.frames[depth]
}

// spend charges n units of work and fails once Options.MaxWork is exceeded.
func (st *state) spend(n int) error {
	st.work += n
	if st.work > st.maxWork {
		return errTooComplex(st.maxWork)
	}
	return nil
}

// hashNDegree is Hash N-Degree Quads (§ 4.8). It never modifies is; it returns the issuer
// of the chosen paths.
func (st *state) hashNDegree(b int32, is *issuer, depth int) (digest, *issuer, error) {
	mentions := st.mentionsOf(b)
	// Each mention costs up to three related hashes, each with an issuer look-up.
	if err := st.spend(1 + len(mentions)*(1+len(is.order)/32)); err != nil {
		return digest{}, nil, err
	}
	f := st.frameAt(depth)
	f.pairs = f.pairs[:0]
	for _, qi := range mentions {
		q := &st.quads[qi]
		for _, p := range [3]int{0, 2, 3} {
			if r := q.bn[p]; r >= 0 && r != b {
				f.pairs = append(f.pairs, relatedNode{st.hashRelated(r, q, is, p), r})
			}
		}
	}
	slices.SortStableFunc(f.pairs, func(x, y relatedNode) int {
		return bytes.Compare(x.h[:st.size], y.h[:st.size])
	})
	f.data = f.data[:0]
	for i := 0; i < len(f.pairs); {
		j := i + 1
		for j < len(f.pairs) && f.pairs[j].h == f.pairs[i].h {
			j++
		}
		f.data = st.appendHex(f.data, &f.pairs[i].h)
		f.list = f.list[:0]
		for _, pr := range f.pairs[i:j] {
			f.list = append(f.list, pr.b)
		}
		chosen, err := st.choosePath(f, is, depth)
		if err != nil {
			return digest{}, nil, err
		}
		f.data = append(f.data, f.chosen...)
		is = chosen
		i = j
	}
	return st.hashBytes(f.data), is, nil
}

// hashRelated is Hash Related Blank Node (§ 4.7) for component p of q.
func (st *state) hashRelated(r int32, q *iquad, is *issuer, p int) digest {
	buf := st.scratch[:0]
	buf = append(buf, "s?og"[p])
	if p != 3 {
		buf = append(buf, st.arena[q.term[1].off:q.term[1].end]...) // "<predicate>"
	}
	if c := st.bnodes[r].canon; c >= 0 {
		buf = appendCanonicalLabel(buf, c)
	} else if k := is.lookup(r); k >= 0 {
		buf = appendTempLabel(buf, k)
	} else {
		buf = st.appendHex(buf, &st.bnodes[r].first)
	}
	st.scratch = buf
	return st.hashBytes(buf)
}

// choosePath tries every permutation of f.list and leaves the shortest path (§ 4.8.3
// step 5.4) in f.chosen; it returns the issuer of that path.
func (st *state) choosePath(f *frame, is *issuer, depth int) (*issuer, error) {
	f.perm = f.perm[:0]
	for i := range f.list {
		f.perm = append(f.perm, i)
	}
	f.chosenSet = false
	var chosen *issuer
	for more := true; more; more = nextPermutation(f.perm) {
		if err := st.spend(1 + len(is.order)/32); err != nil { // a permutation clones is
			return nil, err
		}
		cp, complete, err := st.tryPermutation(f, is, depth)
		if err != nil {
			return nil, err
		}
		if complete && (!f.chosenSet || bytes.Compare(f.path, f.chosen) < 0) {
			f.path, f.chosen, f.chosenSet = f.chosen, f.path, true
			chosen = cp
		}
	}
	return chosen, nil
}

// tryPermutation builds the path of permutation f.perm of f.list in f.path. It stops early
// (complete false) once the path can no longer be shorter than the chosen one.
func (st *state) tryPermutation(f *frame, is *issuer, depth int) (cp *issuer, complete bool, err error) {
	cp = is.clone()
	path, rec := f.path[:0], f.rec[:0]
	defer func() { f.path, f.rec = path, rec }()
	for _, i := range f.perm {
		r := f.list[i]
		if c := st.bnodes[r].canon; c >= 0 {
			path = appendCanonicalLabel(path, c)
		} else {
			if cp.lookup(r) < 0 {
				rec = append(rec, r)
			}
			path = appendTempLabel(path, cp.issue(r))
		}
		if f.chosenSet && worse(path, f.chosen) {
			return nil, false, nil
		}
	}
	for _, r := range rec {
		h, next, err := st.hashNDegree(r, cp, depth+1)
		if err != nil {
			return nil, false, err
		}
		path = appendTempLabel(path, cp.issue(r))
		path = append(path, '<')
		path = st.appendHex(path, &h)
		path = append(path, '>')
		cp = next
		if f.chosenSet && worse(path, f.chosen) {
			return nil, false, nil
		}
	}
	return cp, true, nil
}

// worse is the early exit of § 4.8.3 steps 5.4.4.3 and 5.4.5.5: "If chosen path is not
// empty and the length of path is greater than or equal to the length of chosen path and
// path is greater than chosen path when considering code point order".
func worse(path, chosen []byte) bool {
	return len(path) >= len(chosen) && bytes.Compare(path, chosen) > 0
}

func appendTempLabel(dst []byte, k int) []byte {
	dst = append(dst, "_:b"...)
	return strconv.AppendInt(dst, int64(k), 10)
}

// nextPermutation advances p to the next permutation in lexicographic order and reports
// whether there was one.
func nextPermutation(p []int) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}
