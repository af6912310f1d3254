package status

import (
	"container/list"
	"sync"
	"time"
)

// listCache keeps verified, expanded lists by key (a URL, or a digest of a list credential's
// bytes) from when they were put until their expiry, evicting the least recently used when
// the expanded bytes exceed the budget. It is safe for concurrent use.
type listCache struct {
	mu     sync.Mutex
	budget int
	size   int
	lru    *list.List // of *cached, most recent first
	byURL  map[string]*list.Element
}

type cached struct {
	url     string
	list    *List
	from    time.Time
	expires time.Time
}

func newListCache(budget int) *listCache {
	return &listCache{budget: budget, lru: list.New(), byURL: make(map[string]*list.Element)}
}

// get returns the list cached for url if now lies between when it was put and its expiry (a
// clock set back misses).
func (c *listCache) get(url string, now time.Time) (*List, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byURL[url]
	if !ok {
		return nil, false
	}
	entry := el.Value.(*cached)
	if now.Before(entry.from) || !now.Before(entry.expires) {
		c.remove(el)
		return nil, false
	}
	c.lru.MoveToFront(el)
	return entry.list, true
}

// put caches l for url from now until expires; a list larger than the whole budget is not
// cached.
func (c *listCache) put(url string, l *List, now, expires time.Time) {
	n := len(l.Bits.bits)
	if n > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byURL[url]; ok {
		c.remove(el)
	}
	c.byURL[url] = c.lru.PushFront(&cached{url: url, list: l, from: now, expires: expires})
	c.size += n
	for c.size > c.budget {
		c.remove(c.lru.Back())
	}
}

func (c *listCache) remove(el *list.Element) {
	entry := c.lru.Remove(el).(*cached)
	delete(c.byURL, entry.url)
	c.size -= len(entry.list.Bits.bits)
}
