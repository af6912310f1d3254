package status

import (
	"crypto/sha256"
	"time"
)

// DefaultProofMemoTTL is the default of Options.ProofMemoTTL.
const DefaultProofMemoTTL = time.Minute

// proofMemoBytes bounds the expanded lists the proof memo keeps: 1,024 lists of 131,072
// one-bit entries.
const proofMemoBytes = 16 << 20

// proofMemo remembers the lists whose credentials' proofs verified, by the SHA-256 of the
// credential's bytes as fetched and their media type (digest). A check that fetches a list again (its cache entry missed or
// expired, or the cache is disabled so that status changes show at once) and receives the
// same bytes takes the list from here instead of verifying and expanding it again. Only bytes
// whose proofs verified are remembered, so no proof is trusted unverified; a changed bit
// changes the bytes and misses. A change of the list issuer's keys shows after at most the
// memo's ttl, as it would through a resolver cache.
type proofMemo struct {
	ttl   time.Duration
	lists *listCache
}

// digest is the memo's key for doc: its bytes and the media type they were read as.
func digest(doc Document) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(doc.MediaType))
	h.Write([]byte{0})
	h.Write(doc.Body)
	return [sha256.Size]byte(h.Sum(nil))
}

func newProofMemo(ttl time.Duration) *proofMemo {
	if ttl < 0 {
		return nil
	}
	return &proofMemo{ttl: orDefault(ttl, DefaultProofMemoTTL), lists: newListCache(proofMemoBytes)}
}

// get returns the list whose credential, with digest sum, verified less than the ttl before
// now (and not after now).
func (m *proofMemo) get(sum [sha256.Size]byte, now time.Time) (*List, bool) {
	if m == nil {
		return nil, false
	}
	return m.lists.get(string(sum[:]), now)
}

// put records that l, whose credential has digest sum, verified at now; it is trusted for the
// ttl, or until the credential's validUntil or its proofs' expiry when that is earlier.
func (m *proofMemo) put(sum [sha256.Size]byte, l *List, now time.Time) {
	if m == nil {
		return
	}
	until := now.Add(m.ttl)
	if u, ok := l.until(); ok && u.Before(until) {
		until = u
	}
	if until.After(now) {
		m.lists.put(string(sum[:]), l, now, until)
	}
}
