package server

import (
	"hash/maphash"
	"sync"
	"time"
)

// bucketShards splits a bucketStore so that concurrent clients rarely contend
// for one lock.
const bucketShards = 16

// bucketStore holds the token buckets of at most maxClients clients, in shards
// that each keep their buckets in least-recently-used order. A full shard forgets
// its least recently used client; a bucket that has refilled completely is
// forgotten when it reaches the old end, since a new bucket starts full anyway.
type bucketStore struct {
	budget Budget
	refill time.Duration // time an empty bucket takes to fill
	seed   maphash.Seed
	shards [bucketShards]bucketShard
}

type bucketShard struct {
	mu         sync.Mutex
	m          map[string]*bucket
	head, tail *bucket // most and least recently used
	max        int
}

// bucket is a token bucket and its place in the shard's LRU list.
type bucket struct {
	key        string
	tokens     float64
	last       time.Time
	prev, next *bucket
}

func newBucketStore(b Budget, maxClients int) *bucketStore {
	s := &bucketStore{budget: b, seed: maphash.MakeSeed(),
		refill: time.Duration(float64(b.Burst) / b.PerSecond * float64(time.Second))}
	per := max(maxClients/bucketShards, 1)
	for i := range s.shards {
		s.shards[i] = bucketShard{m: make(map[string]*bucket), max: per}
	}
	return s
}

// take spends one token of key's bucket at time now. When the bucket is empty it
// reports how long until a token is available.
func (s *bucketStore) take(key string, now time.Time) (bool, time.Duration) {
	sh := &s.shards[maphash.String(s.seed, key)&(bucketShards-1)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.get(key, now, s.budget)
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(float64(s.budget.Burst), b.tokens+el.Seconds()*s.budget.PerSecond)
		b.last = now
	}
	sh.expire(now, s.refill)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / s.budget.PerSecond * float64(time.Second))
}

// len reports the clients tracked.
func (s *bucketStore) len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

// get returns key's bucket, moved to the front, creating a full one (and
// forgetting the least recently used client of a full shard) when key is new.
func (sh *bucketShard) get(key string, now time.Time, budget Budget) *bucket {
	if b, ok := sh.m[key]; ok {
		sh.unlink(b)
		sh.pushFront(b)
		return b
	}
	if len(sh.m) >= sh.max {
		sh.remove(sh.tail)
	}
	b := &bucket{key: key, tokens: float64(budget.Burst), last: now}
	sh.m[key] = b
	sh.pushFront(b)
	return b
}

// expire forgets at most two least recently used buckets that have been idle long
// enough to refill: constant work per request that empties the store once a burst
// of clients has gone.
func (sh *bucketShard) expire(now time.Time, refill time.Duration) {
	for range 2 {
		b := sh.tail
		if b == nil || b == sh.head || now.Sub(b.last) < refill {
			return
		}
		sh.remove(b)
	}
}

func (sh *bucketShard) remove(b *bucket) {
	sh.unlink(b)
	delete(sh.m, b.key)
}

func (sh *bucketShard) pushFront(b *bucket) {
	b.prev, b.next = nil, sh.head
	if sh.head != nil {
		sh.head.prev = b
	}
	sh.head = b
	if sh.tail == nil {
		sh.tail = b
	}
}

func (sh *bucketShard) unlink(b *bucket) {
	if b.prev != nil {
		b.prev.next = b.next
	} else {
		sh.head = b.next
	}
	if b.next != nil {
		b.next.prev = b.prev
	} else {
		sh.tail = b.prev
	}
	b.prev, b.next = nil, nil
}
