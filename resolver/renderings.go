package resolver

import (
	"container/list"
	"time"

	"github.com/kakunin-dev/kakunin/did"
)

// Rendering is a successful resolution result serialised by a front end, such as the
// body of an HTTP answer. ResolveRendered keeps it with the result's cache entry, so
// it lives no longer than the result: never at or past nextUpdate, and not after
// Invalidate. A Rendering is shared by every caller that gets it; none may modify it.
type Rendering struct {
	Body        []byte
	ContentType string
	ETag        string
	// NextUpdate is the nextUpdate of the result's document metadata; ResolveRendered
	// sets it.
	NextUpdate time.Time
}

// viewKey names one rendering of a cache entry: the caller's view name and what the
// resolution options change in the rendered result.
type viewKey struct {
	name, mediaType string
	expand          bool
}

// cachedView is an element of Cache.views.
type cachedView struct {
	entry *list.Element // of Cache.lru
	key   viewKey
	r     *Rendering
	size  int
}

// renderingOverhead approximates the bytes a kept rendering costs besides its
// strings and body: the Rendering, the cachedView, the list element, the map slot.
const renderingOverhead = 256

func renderingSize(k viewKey, r *Rendering) int {
	return len(r.Body) + len(r.ContentType) + len(r.ETag) + len(k.name) + len(k.mediaType) + renderingOverhead
}

// rendering returns the rendering k of the live entry of key.
func (c *Cache) rendering(key entryKey, k viewKey) (*Rendering, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.live(key)
	if !ok {
		return nil, false
	}
	v, ok := el.Value.(*cacheEntry).views[k]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	c.views.MoveToFront(v)
	return v.Value.(*cachedView).r, true
}

// keep stores r as the rendering k of the entry of key if that entry still holds
// raw, the result r was rendered from: an entry replaced or dropped since (by
// Invalidate, expiry or eviction) does not take it. It then drops the least
// recently used renderings until their bytes are within MaxRenderedBytes.
func (c *Cache) keep(key entryKey, raw *did.ResolutionResult, k viewKey, r *Rendering) {
	size := renderingSize(k, r)
	if size > c.cfg.MaxRenderedBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.live(key)
	if !ok || el.Value.(*cacheEntry).res != raw {
		return
	}
	e := el.Value.(*cacheEntry)
	if old, ok := e.views[k]; ok {
		c.dropView(old)
	}
	if e.views == nil {
		e.views = map[viewKey]*list.Element{}
	}
	e.views[k] = c.views.PushFront(&cachedView{entry: el, key: k, r: r, size: size})
	c.viewBytes += size
	for c.viewBytes > c.cfg.MaxRenderedBytes {
		c.dropView(c.views.Back())
	}
}

// dropView removes a rendering from its entry and from the byte count.
func (c *Cache) dropView(v *list.Element) {
	cv := v.Value.(*cachedView)
	delete(cv.entry.Value.(*cacheEntry).views, cv.key)
	c.views.Remove(v)
	c.viewBytes -= cv.size
}
