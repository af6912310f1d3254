package status

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// RandomDraws is how many uniform draws [RandomIndex] makes before it scans. A list that is
// half full falls back to the scan with probability 2^-64; one that is 99% full about half the
// time.
const RandomDraws = 64

// RandomIndex picks a free index of a list of entries entries, uniformly at random, following
// §2.1: "Implementations SHOULD assign indexes randomly, such that inferences — such as the
// recency of the assignment or the size of the group — cannot be easily drawn from that
// position." It does not reserve the index.
//
// Contract, for the store that allocates durably:
//   - rand is crypto/rand.Reader in production: a predictable source lets an observer guess
//     which indexes are taken. Its errors are returned, wrapped.
//   - used reports whether an index is taken (nil means none is). It must be cheap and free of
//     side effects: it is called at most RandomDraws+entries times, as a lookup in a set or
//     in the bitstring of allocated indexes that the store loaded.
//   - The store claims the returned index atomically (a unique constraint on list and index,
//     or a compare-and-set) and calls RandomIndex again with the refreshed set when another
//     replica claimed it first.
//
// Each draw is uniform over 0…entries-1 (rejection sampling, no modulo bias); after
// [RandomDraws] draws that all hit taken indexes, it scans from a uniformly random start,
// wrapping around, and returns the first free index, which stays unpredictable but is no longer
// uniform. It fails with an [*Error] of type RangeError wrapping [ErrListFull] when every index
// is taken, and of type MalformedValueError when entries is not positive.
func RandomIndex(rand io.Reader, entries int, used func(int) bool) (int, error) {
	if entries < 1 {
		return 0, malformedAt("", fmt.Sprintf("a list of %d entries has no index", entries))
	}
	if used == nil {
		used = func(int) bool { return false }
	}
	for range RandomDraws {
		i, err := uniform(rand, entries)
		if err != nil {
			return 0, err
		}
		if !used(i) {
			return i, nil
		}
	}
	start, err := uniform(rand, entries)
	if err != nil {
		return 0, err
	}
	for k := range entries {
		if i := (start + k) % entries; !used(i) {
			return i, nil
		}
	}
	return 0, newError(RangeError, "", ErrListFull, fmt.Sprintf("all %d indexes are taken", entries))
}

// uniform returns a uniform integer in [0, n) read from rand.
func uniform(rand io.Reader, n int) (int, error) {
	bound := uint64(n)
	limit := math.MaxUint64 - math.MaxUint64%bound // multiple of bound: [0, limit) maps evenly
	var buf [8]byte
	for {
		if _, err := io.ReadFull(rand, buf[:]); err != nil {
			return 0, fmt.Errorf("status: reading random bytes: %w", err)
		}
		if v := binary.BigEndian.Uint64(buf[:]); v < limit {
			return int(v % bound), nil
		}
	}
}
