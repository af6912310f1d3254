package rdfc

import (
	"bytes"
	"encoding/hex"
	"slices"
)

// hashFirstDegree is Hash First Degree Quads (§ 4.6): the mention set of b serialized
// with b as _:a and every other blank node as _:z, sorted, concatenated and hashed.
func (st *state) hashFirstDegree(b int32) {
	buf, lines := st.scratch[:0], st.lines[:0]
	for _, qi := range st.mentionsOf(b) {
		off := int32(len(buf))
		buf = st.appendQuadFirstDegree(buf, &st.quads[qi], b)
		lines = append(lines, span{off, int32(len(buf))})
	}
	st.bnodes[b].first = st.hashLines(buf, lines)
	st.scratch, st.lines = buf, lines
}

// hashLines sorts lines (ranges of buf) in code point order and hashes their concatenation.
func (st *state) hashLines(buf []byte, lines []span) digest {
	sortLines(buf, lines)
	st.h.Reset()
	for _, l := range lines {
		st.h.Write(buf[l.off:l.end])
	}
	return st.sumDigest()
}

// sortLines sorts in code point order, which for UTF-8 is byte order.
func sortLines(buf []byte, lines []span) {
	slices.SortFunc(lines, func(a, b span) int {
		return bytes.Compare(buf[a.off:a.end], buf[b.off:b.end])
	})
}

func (st *state) sumDigest() digest {
	var d digest
	st.sum = st.h.Sum(st.sum[:0])
	copy(d[:], st.sum)
	return d
}

func (st *state) hashBytes(b []byte) digest {
	st.h.Reset()
	st.h.Write(b)
	return st.sumDigest()
}

func (st *state) appendHex(dst []byte, d *digest) []byte {
	return hex.AppendEncode(dst, d[:st.size])
}

func (st *state) appendQuadFirstDegree(dst []byte, q *iquad, ref int32) []byte {
	for p := range 4 {
		switch {
		case q.bn[p] == ref:
			dst = append(dst, "_:a "...)
		case q.bn[p] >= 0:
			dst = append(dst, "_:z "...)
		case p < 3 || q.hasGraph:
			dst = append(dst, st.arena[q.term[p].off:q.term[p].end]...)
			dst = append(dst, ' ')
		}
	}
	return append(dst, '.', '\n')
}
