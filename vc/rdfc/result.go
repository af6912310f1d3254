package rdfc

import "strconv"

func (st *state) appendQuadCanonical(dst []byte, q *iquad) []byte {
	for p := range 4 {
		switch {
		case q.bn[p] >= 0:
			dst = appendCanonicalLabel(dst, st.bnodes[q.bn[p]].canon)
			dst = append(dst, ' ')
		case p < 3 || q.hasGraph:
			dst = append(dst, st.arena[q.term[p].off:q.term[p].end]...)
			dst = append(dst, ' ')
		}
	}
	return append(dst, '.', '\n')
}

func appendCanonicalLabel(dst []byte, n int32) []byte {
	dst = append(dst, "_:c14n"...)
	return strconv.AppendInt(dst, int64(n), 10)
}

// result serializes the canonical form (§ 4.4.3 step 7, § 5) and the issued identifiers map.
func (st *state) result() Result {
	buf, lines := st.scratch[:0], st.lines[:0]
	for i := range st.quads {
		off := int32(len(buf))
		buf = st.appendQuadCanonical(buf, &st.quads[i])
		lines = append(lines, span{off, int32(len(buf))})
	}
	sortLines(buf, lines)
	out := make([]byte, 0, len(buf))
	for _, l := range lines {
		out = append(out, buf[l.off:l.end]...)
	}
	st.scratch, st.lines = buf, lines
	return Result{NQuads: out, Issued: st.issuedMap()}
}

func (st *state) issuedMap() map[string]string {
	m := make(map[string]string, len(st.order))
	buf, ends := st.scratch[:0], st.lines[:0]
	for _, b := range st.order {
		off := int32(len(buf))
		buf = appendCanonicalLabel(buf, st.bnodes[b].canon)
		ends = append(ends, span{off + 2, int32(len(buf))}) // without "_:"
	}
	all := string(buf) // one allocation shared by every label
	for i, b := range st.order {
		m[st.bnodes[b].id] = all[ends[i].off:ends[i].end]
	}
	st.scratch, st.lines = buf, ends
	return m
}
