package status

import (
	"fmt"
	"slices"
)

// MinBits is the shortest status list, in bits: Bitstring Status List v1.0 §2.2, "The
// uncompressed bitstring MUST be at least 16KB in size", which is 131,072 bits (§6.1).
const MinBits = 16 * 1024 * 8

// MinEntries is the default minimumNumberOfEntries of the validate algorithm (§3.2: "Let
// minimumNumberOfEntries be 131,072 unless a different lower bound is established by a specific
// ecosystem specification").
const MinEntries = 131072

// MaxStatusSize is the largest statusSize, in bits, that this package processes. The
// Recommendation sets no upper bound, but an entry of statusSize n must carry 2^n status
// messages, so sizes beyond 16 cannot fit in a bounded credential.
const MaxStatusSize = 16

// Bitstring is an uncompressed status list: index 0 is the left-most (most significant) bit
// of the first byte (§2.2 and §7.1). An entry of statusSize n at statusListIndex i occupies
// bits i·n … i·n+n-1 (§3.3: "The position of the value is computed as statusListIndex times the
// statusSize"), read most significant bit first. A Bitstring is not safe for concurrent
// mutation; concurrent reads are safe.
type Bitstring struct {
	bits []byte
}

// New returns an all-zero bitstring of length bits, which must be a multiple of 8 and at least
// [MinBits]. It fails with an [*Error] of type ListLengthError wrapping [ErrListTooShort], or
// MalformedValueError.
func New(length int) (*Bitstring, error) {
	if length < MinBits {
		return nil, newError(ListLengthError, "", ErrListTooShort, fmt.Sprintf("%d bits, at least %d required", length, MinBits))
	}
	if length%8 != 0 {
		return nil, newError(MalformedValueError, "", nil, fmt.Sprintf("a bitstring length must be whole bytes, not %d bits", length))
	}
	return &Bitstring{bits: make([]byte, length/8)}, nil
}

// FromBytes returns a bitstring holding a copy of raw, as [Bitstring.Bytes] returned it (a
// store keeps lists this way). It fails like [New] when raw is shorter than [MinBits].
func FromBytes(raw []byte) (*Bitstring, error) {
	if len(raw)*8 < MinBits {
		return nil, newError(ListLengthError, "", ErrListTooShort, fmt.Sprintf("%d bits, at least %d required", len(raw)*8, MinBits))
	}
	return &Bitstring{bits: slices.Clone(raw)}, nil
}

// Len returns the length in bits.
func (b *Bitstring) Len() int { return len(b.bits) * 8 }

// Entries returns how many entries of statusSize bits the bitstring holds.
func (b *Bitstring) Entries(statusSize int) int {
	if statusSize < 1 {
		return 0
	}
	return b.Len() / statusSize
}

// Bytes returns a copy of the uncompressed bitstring.
func (b *Bitstring) Bytes() []byte { return slices.Clone(b.bits) }

// Clone returns an independent copy, for an issuer that edits a list while serving the old one.
func (b *Bitstring) Clone() *Bitstring { return &Bitstring{bits: slices.Clone(b.bits)} }

// Get returns the status of entry index for entries of statusSize bits. It fails with an
// [*Error] of type RangeError when the entry lies outside the bitstring (§3.2: "If the
// credentialIndex multiplied by the size is a value outside of the range of the bitstring, a
// RANGE_ERROR MUST be raised") or statusSize is not in 1…[MaxStatusSize].
func (b *Bitstring) Get(index, statusSize int) (uint64, error) {
	if err := b.checkEntry(index, statusSize); err != nil {
		return 0, err
	}
	if statusSize == 1 {
		return uint64(b.bits[index>>3]>>(7-index&7)) & 1, nil
	}
	var v uint64
	for p := index * statusSize; p < (index+1)*statusSize; p++ {
		v = v<<1 | uint64(b.bits[p>>3]>>(7-p&7))&1
	}
	return v, nil
}

// Set stores value as the status of entry index for entries of statusSize bits. Value must be
// below 2^statusSize. Errors are as for [Bitstring.Get], or RangeError for a value too large.
func (b *Bitstring) Set(index, statusSize int, value uint64) error {
	if err := b.checkEntry(index, statusSize); err != nil {
		return err
	}
	if value>>statusSize != 0 {
		return newError(RangeError, "", nil, fmt.Sprintf("status value %d does not fit in %d bits", value, statusSize))
	}
	for i := range statusSize {
		p := index*statusSize + i
		mask := byte(0x80) >> (p & 7)
		if value>>(statusSize-1-i)&1 == 1 {
			b.bits[p>>3] |= mask
		} else {
			b.bits[p>>3] &^= mask
		}
	}
	return nil
}

func (b *Bitstring) checkEntry(index, statusSize int) error {
	if statusSize < 1 || statusSize > MaxStatusSize {
		return newError(RangeError, "", nil, fmt.Sprintf("statusSize %d is not between 1 and %d", statusSize, MaxStatusSize))
	}
	if index < 0 || index >= b.Len()/statusSize {
		return newError(RangeError, "", nil, fmt.Sprintf("index %d is outside a list of %d entries", index, b.Len()/statusSize))
	}
	return nil
}
