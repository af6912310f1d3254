package rdfc

import (
	"crypto"
	"fmt"
)

// DefaultMaxWork is the work bound used when Options.MaxWork is zero. RDFC-1.0 § 4.4.3:
// "Implementations MUST defend against potential denial-of-service attacks by raising
// suitable exceptions and terminating early." For scale: the hardest approved tests
// (test044–046, twelve blank nodes in automorphic rings) need about 6,200 units, a JSON-LD
// list of 40 equal values about 10,500, a clique of five blank nodes about 9,000; the
// ten-node clique of the poison test (test074) stops after about 6 ms of CPU.
const DefaultMaxWork = 1 << 14

// Options selects the hash algorithm and the bounds of one canonicalization. The zero
// value is safe: SHA-256, DefaultMaxWork, and the ParseOptions defaults.
type Options struct {
	// Hash is crypto.SHA256 (the RDFC-1.0 default, also chosen by 0) or crypto.SHA384.
	Hash crypto.Hash
	// MaxWork bounds the Hash N-Degree Quads stage, where the cost of RDFC-1.0 can grow
	// factorially: one unit per call of that algorithm, per quad it reads and per
	// permutation it tries, more when its temporary issuer holds over 32 blank nodes.
	// Datasets whose blank nodes all have distinct first-degree hashes use none.
	// Exceeding it fails with ErrTooComplex; 0 (or less) means DefaultMaxWork.
	MaxWork int
	// Parse bounds the input of CanonicalizeNQuads.
	Parse ParseOptions
}

// Result is a canonicalized dataset.
type Result struct {
	// NQuads is the serialized canonical form: every quad in canonical N-Quads form,
	// sorted in code point order, each ending with "\n".
	NQuads []byte
	// Issued is the issued identifiers map: input blank node identifier → canonical
	// identifier ("c14n0", …), both without "_:".
	Issued map[string]string
}

// Canonicalize runs RDFC-1.0 on ds. It fails with a *TermError (ErrInvalidTerm) if ds does
// not validate, ErrUnsupportedHash for a hash other than SHA-256 or SHA-384, and
// ErrTooComplex when the work bound is exceeded. ds is not modified.
func Canonicalize(ds Dataset, opts Options) (Result, error) {
	if err := ds.Validate(); err != nil {
		return Result{}, err
	}
	st, err := getState(opts)
	if err != nil {
		return Result{}, err
	}
	defer putState(st)
	st.load(ds)
	if err := st.label(); err != nil {
		return Result{}, err
	}
	return st.result(), nil
}

// CanonicalizeNQuads parses an N-Quads document within opts.Parse and canonicalizes it.
// Blank node identifiers of the document are the keys of Result.Issued.
func CanonicalizeNQuads(doc []byte, opts Options) (Result, error) {
	ds, err := ParseNQuads(doc, opts.Parse)
	if err != nil {
		return Result{}, err
	}
	return Canonicalize(ds, opts)
}

func (o Options) maxWork() int {
	if o.MaxWork <= 0 {
		return DefaultMaxWork
	}
	return o.MaxWork
}

func errTooComplex(limit int) error {
	return fmt.Errorf("%w: work bound %d exceeded", ErrTooComplex, limit)
}
