package rdfc

import (
	"bytes"
	"cmp"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"hash/maphash"
	"slices"
	"sync"
)

// span is a byte range of state.arena or of a scratch buffer.
type span struct{ off, end int32 }

// iquad is a quad of the deduplicated input: each component is either a blank node
// (bn >= 0) or a constant term pre-serialized in state.arena.
type iquad struct {
	term     [4]span
	bn       [4]int32 // blank node index, or -1
	hasGraph bool
}

// bnode is one blank node of the input: its identifier, its mention set (indices into
// state.quads, in input order) and its first-degree hash.
type bnode struct {
	id    string
	quads span // range of state.mentions
	first digest
	canon int32 // canonical number, or -1
}

// digest holds a SHA-256 or SHA-384 sum; state.size bytes of it are used.
type digest [sha512.Size384]byte

// state is the canonicalization state of RDFC-1.0 § 4.2 plus reusable buffers. States are
// pooled: the hot path of a ~25-quad credential then allocates only its result.
type state struct {
	h        hash.Hash
	alg      crypto.Hash
	size     int
	maxWork  int
	work     int
	arena    []byte
	quads    []iquad
	bnodes   []bnode
	index    map[string]int32
	mentions []int32
	canonN   int32
	order    []int32 // blank nodes in canonical issue order
	groups   []int32
	keys     []quadKey
	scratch  []byte
	lines    []span
	sum      []byte
	frames   []*frame
}

var pool = sync.Pool{New: func() any { return new(state) }}

// Bounds on what a pooled state keeps, so that one large input does not pin its buffers.
const (
	maxPooledBytes  = 1 << 20
	maxPooledQuads  = 1 << 14
	maxPooledFrames = 64
)

func getState(opts Options) (*state, error) {
	alg := opts.Hash
	if alg == 0 {
		alg = crypto.SHA256
	}
	if alg != crypto.SHA256 && alg != crypto.SHA384 {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedHash, alg)
	}
	st := pool.Get().(*state)
	if st.h == nil || st.alg != alg {
		st.alg = alg
		if alg == crypto.SHA384 {
			st.h, st.size = sha512.New384(), sha512.Size384
		} else {
			st.h, st.size = sha256.New(), sha256.Size
		}
	}
	st.maxWork, st.work, st.canonN = opts.maxWork(), 0, 0
	return st, nil
}

func putState(st *state) {
	if cap(st.arena)+cap(st.scratch) > maxPooledBytes || cap(st.quads) > maxPooledQuads ||
		len(st.frames) > maxPooledFrames {
		return
	}
	clear(st.index)
	for i := range st.bnodes {
		st.bnodes[i].id = ""
	}
	pool.Put(st)
}

// load indexes ds: constant terms are serialized once, blank nodes are numbered in order
// of first mention (subject, object, graph), duplicate quads are dropped and mention sets
// are built.
func (st *state) load(ds Dataset) {
	st.arena, st.quads, st.bnodes = st.arena[:0], st.quads[:0], st.bnodes[:0]
	if st.index == nil {
		st.index = make(map[string]int32)
	}
	for i := range ds {
		st.quads = append(st.quads, st.intern(&ds[i]))
	}
	st.dedup()
	st.buildMentions()
}

func (st *state) intern(q *Quad) iquad {
	var iq iquad
	terms := [4]*Term{&q.Subject, &q.Predicate, &q.Object, &q.Graph}
	for p, t := range terms {
		iq.bn[p] = -1
		switch t.Kind {
		case DefaultGraph:
		case BlankKind:
			iq.bn[p] = st.blankIndex(t.Value)
		default:
			off := int32(len(st.arena))
			st.arena = appendTerm(st.arena, t)
			iq.term[p] = span{off, int32(len(st.arena))}
		}
	}
	iq.hasGraph = q.Graph.Kind != DefaultGraph
	return iq
}

func (st *state) blankIndex(id string) int32 {
	if b, ok := st.index[id]; ok {
		return b
	}
	b := int32(len(st.bnodes))
	st.index[id] = b
	st.bnodes = append(st.bnodes, bnode{id: id, canon: -1})
	return b
}

// dedup removes repeated quads, keeping the first of each in input order: RDFC-1.0
// works on a dataset, which is a set of quads. Quads are sorted by a fingerprint and
// compared in full only when fingerprints collide.
func (st *state) dedup() {
	keys := st.keys[:0]
	for i := range st.quads {
		keys = append(keys, quadKey{st.fingerprint(&st.quads[i]), int32(i)})
	}
	slices.SortFunc(keys, func(a, b quadKey) int {
		if c := cmp.Compare(a.fp, b.fp); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	drop := false
	for i := 1; i < len(keys); i++ {
		for j := i - 1; j >= 0 && keys[j].fp == keys[i].fp; j-- {
			if st.cmpQuad(&st.quads[keys[j].i], &st.quads[keys[i].i]) == 0 {
				st.quads[keys[i].i].bn[1] = -2 // mark: predicates are never blank
				drop = true
				break
			}
		}
	}
	st.keys = keys
	if drop {
		st.quads = slices.DeleteFunc(st.quads, func(q iquad) bool { return q.bn[1] == -2 })
	}
}

// quadKey orders quads for dedup.
type quadKey struct {
	fp uint64
	i  int32
}

var fingerprintSeed = maphash.MakeSeed()

func (st *state) fingerprint(q *iquad) uint64 {
	var h uint64
	for p := range 4 {
		t := q.term[p]
		h = h*0x100000001b3 ^ maphash.Bytes(fingerprintSeed, st.arena[t.off:t.end]) ^ uint64(uint32(q.bn[p]))
	}
	return h
}

func (st *state) cmpQuad(a, b *iquad) int {
	for p := range 4 {
		if a.bn[p] != b.bn[p] {
			return int(a.bn[p] - b.bn[p])
		}
		ta, tb := st.arena[a.term[p].off:a.term[p].end], st.arena[b.term[p].off:b.term[p].end]
		if c := bytes.Compare(ta, tb); c != 0 {
			return c
		}
	}
	return 0
}

// buildMentions fills the blank node to quads map (RDFC-1.0 § 4.4.3 step 2), a quad
// counting once per blank node however often the node occurs in it.
func (st *state) buildMentions() {
	st.mentions = st.mentions[:0]
	for b := range st.bnodes {
		st.bnodes[b].quads = span{}
	}
	counts := st.bnodes
	for qi := range st.quads {
		st.eachBlank(int32(qi), func(b int32) { counts[b].quads.end++ })
	}
	total := int32(0)
	for b := range counts {
		n := counts[b].quads.end
		counts[b].quads = span{total, total}
		total += n
	}
	st.mentions = slices.Grow(st.mentions, int(total))[:total]
	for qi := range st.quads {
		st.eachBlank(int32(qi), func(b int32) {
			st.mentions[counts[b].quads.end] = int32(qi)
			counts[b].quads.end++
		})
	}
}

// eachBlank calls f once for each distinct blank node of quad qi.
func (st *state) eachBlank(qi int32, f func(int32)) {
	bn := &st.quads[qi].bn
	for p := range 4 {
		b := bn[p]
		if b < 0 || (p > 0 && b == bn[0]) || (p == 3 && b == bn[2]) {
			continue
		}
		f(b)
	}
}

func (st *state) mentionsOf(b int32) []int32 {
	s := st.bnodes[b].quads
	return st.mentions[s.off:s.end]
}
