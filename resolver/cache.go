package resolver

import (
	"container/list"
	"sync"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Cache holds successful resolution results, least recently used first out. An entry
// lives until the earlier of its MaxAge and the nextUpdate of its document metadata,
// and is never served at or after nextUpdate (DID Resolution § 13.2 Caching: a
// resolver must not serve a result its method says may have changed). It is safe for
// concurrent use.
type Cache struct {
	mu    sync.Mutex
	cfg   CacheConfig
	lru   *list.List                            // of *cacheEntry, front most recent
	byKey map[entryKey]*list.Element            // DID as asked + version selector
	byDID map[string]map[*list.Element]struct{} // DID as asked, and canonicalId

	views     *list.List // of *cachedView (renderings.go), front most recent
	viewBytes int

	gen uint64 // bumped by Invalidate; results fetched before it are not stored
}

// CacheConfig configures NewCache. The zero value is usable.
type CacheConfig struct {
	// Size is the maximum number of entries; default 10,000.
	Size int
	// MaxAge bounds an entry's life when its metadata has no nextUpdate, and always
	// caps it; default 5 minutes.
	MaxAge time.Duration
	// MaxRenderedBytes bounds the bytes of the renderings kept with the entries
	// (Registry.ResolveRendered), least recently used dropped first; default 64 MiB.
	// Negative keeps none.
	MaxRenderedBytes int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

type cacheEntry struct {
	key     entryKey
	names   []string // the DID as asked and, when it differs, its canonicalId
	res     *did.ResolutionResult
	expires time.Time
	views   map[viewKey]*list.Element // renderings of res, elements of Cache.views
}

// NewCache returns an empty cache.
func NewCache(cfg CacheConfig) *Cache {
	if cfg.Size <= 0 {
		cfg.Size = 10_000
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 5 * time.Minute
	}
	if cfg.MaxRenderedBytes == 0 {
		cfg.MaxRenderedBytes = 64 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Cache{cfg: cfg, lru: list.New(), byKey: map[entryKey]*list.Element{},
		byDID: map[string]map[*list.Element]struct{}{}, views: list.New()}
}

// Len returns the number of entries, expired ones included until they are looked up.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Invalidate drops every entry of id: those asked for as id and those whose
// canonicalId is id. A resolution running while Invalidate is called does not store
// its result.
func (c *Cache) Invalidate(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for el := range c.byDID[id] {
		c.remove(el)
	}
}

// ExpiresAt returns when a result fetched now would leave the cache: the earlier of
// now+MaxAge and its nextUpdate. HTTP front ends derive Cache-Control from it.
func (c *Cache) ExpiresAt(res *did.ResolutionResult) time.Time {
	return c.expiry(c.cfg.Now(), res)
}

func (c *Cache) expiry(now time.Time, res *did.ResolutionResult) time.Time {
	exp := now.Add(c.cfg.MaxAge)
	if nu := res.DIDDocumentMetadata.NextUpdate; !nu.IsZero() && nu.Before(exp) {
		exp = nu
	}
	return exp
}

func (c *Cache) epoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *Cache) get(key entryKey) (*did.ResolutionResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.live(key)
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry).res, true
}

// live returns the entry of key unless it has expired, which it then drops. c.mu is
// held.
func (c *Cache) live(key entryKey) (*list.Element, bool) {
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	if !c.cfg.Now().Before(el.Value.(*cacheEntry).expires) {
		c.remove(el)
		return nil, false
	}
	return el, true
}

// put stores res unless Invalidate ran since gen was read or it is already stale.
func (c *Cache) put(key entryKey, canon string, res *did.ResolutionResult, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.cfg.Now()
	exp := c.expiry(now, res)
	if gen != c.gen || !now.Before(exp) {
		return
	}
	if el, ok := c.byKey[key]; ok {
		c.remove(el)
	}
	e := &cacheEntry{key: key, names: []string{key.id}, res: res, expires: exp}
	if canon != e.names[0] {
		e.names = append(e.names, canon)
	}
	el := c.lru.PushFront(e)
	c.byKey[key] = el
	for _, n := range e.names {
		if c.byDID[n] == nil {
			c.byDID[n] = map[*list.Element]struct{}{}
		}
		c.byDID[n][el] = struct{}{}
	}
	for c.lru.Len() > c.cfg.Size {
		c.remove(c.lru.Back())
	}
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	for _, v := range e.views {
		c.dropView(v)
	}
	c.lru.Remove(el)
	delete(c.byKey, e.key)
	for _, n := range e.names {
		delete(c.byDID[n], el)
		if len(c.byDID[n]) == 0 {
			delete(c.byDID, n)
		}
	}
}

// entryKey is the DID as asked for and the version it selects; the representation
// is not part of it (results are rendered per request, renderings kept per view).
type entryKey struct {
	id, versionID, versionTime string
}

func cacheKey(id string, opts did.ResolutionOptions) entryKey {
	k := entryKey{id: id, versionID: opts.VersionID}
	if !opts.VersionTime.IsZero() {
		k.versionTime = did.FormatTime(opts.VersionTime)
	}
	return k
}
