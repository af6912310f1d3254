package revocation

import (
	"crypto/sha256"
	"crypto/x509"
	"sync"
)

// cache is a bounded map; when full, storing a new key drops an arbitrary entry.
type cache[V any] struct {
	mu      sync.RWMutex
	max     int
	entries map[string]V
}

func newCache[V any](max int) *cache[V] {
	return &cache[V]{max: max, entries: make(map[string]V)}
}

func (c *cache[V]) get(key string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[key]
	return v, ok
}

// update stores the value f returns for key, given the current value if any. f runs
// under the lock, so a check-and-replace is atomic; when f returns an error nothing
// changes.
func (c *cache[V]) update(key string, f func(old V, ok bool) (V, error)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.entries[key]
	v, err := f(old, ok)
	if err != nil {
		return err
	}
	if !ok && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = v
	return nil
}

// issuerKey identifies an issuer by its name and public key.
func issuerKey(issuer *x509.Certificate) string {
	h := sha256.New()
	h.Write(issuer.RawSubject)
	h.Write(issuer.RawSubjectPublicKeyInfo)
	return string(h.Sum(nil))
}
