package verifier

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Bounds of the memo of verified status list credentials.
const (
	listMemoTTL     = time.Minute
	listMemoEntries = 1024
)

// listMemo remembers which status list credentials' proofs verified, by the SHA-256 of
// their bytes, so that a status checker running without a list cache (to see status
// changes at once) does not verify the proof of the same unchanged list credential for
// every credential it checks. A changed bit changes the bytes, so a status change shows at
// once; a change of the list issuer's DID document shows after at most listMemoTTL, as it
// would through a resolver cache. It holds at most listMemoEntries digests.
type listMemo struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]span // digest → when it is trusted
}

// span is the time a verification is trusted: from when it was made until it expires.
type span struct{ from, until time.Time }

func (s span) holds(t time.Time) bool { return !t.Before(s.from) && t.Before(s.until) }

// verified reports whether the list credential of digest sum verified less than
// listMemoTTL before now (and not after now: a clock set back verifies again).
func (l *listMemo) verified(sum [sha256.Size]byte, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.m[sum]
	return ok && s.holds(now)
}

// put records that the list credential of digest sum verified at now, trusted until
// listMemoTTL later or its validUntil when that is earlier (zero when it has none).
func (l *listMemo) put(sum [sha256.Size]byte, now, validUntil time.Time) {
	until := now.Add(listMemoTTL)
	if !validUntil.IsZero() && validUntil.Before(until) {
		until = validUntil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = make(map[[sha256.Size]byte]span)
	}
	if len(l.m) >= listMemoEntries {
		for k, s := range l.m {
			if !s.holds(now) {
				delete(l.m, k)
			}
		}
		if len(l.m) >= listMemoEntries {
			clear(l.m)
		}
	}
	l.m[sum] = span{now, until}
}
