package ca

import (
	"crypto"
	"math/big"
	"sync"
	"time"
)

// maxCachedResponses bounds the OCSP response cache; when it is full an arbitrary
// entry makes room.
const maxCachedResponses = 1 << 17

// responseCache holds signed OCSP responses to nonce-less single requests, keyed by
// owner, CertID hash and serial, until they go stale or the serial is revoked.
type responseCache struct {
	mu      sync.RWMutex
	entries map[string]cachedResponse
	epoch   uint64 // counts forget calls, so a lookup that raced a revocation is not cached
}

type cachedResponse struct {
	der        []byte
	thisUpdate time.Time
	nextUpdate time.Time
	staleAt    time.Time
}

func newResponseCache() *responseCache {
	return &responseCache{entries: make(map[string]cachedResponse)}
}

func cacheKey(owner string, h crypto.Hash, serial *big.Int) string {
	return owner + "\x00" + string(rune(h)) + serial.Text(16)
}

// get returns the response for key if it is not stale at now.
func (c *responseCache) get(key string, now time.Time) (cachedResponse, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	return e, ok && now.Before(e.staleAt)
}

// begin returns the epoch to pass to put for an answer about to be looked up.
func (c *responseCache) begin() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.epoch
}

// put caches e unless a revocation was forgotten since epoch was read.
func (c *responseCache) put(key string, e cachedResponse, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != epoch {
		return
	}
	if len(c.entries) >= maxCachedResponses {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = e
}

// forget drops the responses for a serial of owner, under every CertID hash.
func (c *responseCache) forget(owner string, serial *big.Int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, h := range hashByOID {
		delete(c.entries, cacheKey(owner, h.hash, serial))
	}
}
