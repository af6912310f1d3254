package jsonld

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// cacheKey identifies a top-level @context value. The usual value, a URL or
// an array of URLs, is keyed by the URLs themselves; anything else by its
// JSON encoding (encoding/json sorts map keys, so equal values give equal
// keys).
func cacheKey(local any) (string, error) {
	switch v := local.(type) {
	case string:
		return "s" + v, nil
	case []any:
		var b strings.Builder
		b.WriteByte('a')
		for _, e := range v {
			s, ok := e.(string)
			if !ok || strings.IndexByte(s, 0) >= 0 {
				return jsonKey(local)
			}
			b.WriteString(s)
			b.WriteByte(0) // a separator no element contains
		}
		return b.String(), nil
	default:
		return jsonKey(local)
	}
}

func jsonKey(local any) (string, error) {
	b, err := json.Marshal(local)
	if err != nil {
		return "", fmt.Errorf("%w: @context cannot be encoded: %w", ErrProcessing, err)
	}
	return "j" + string(b), nil
}

// contextCache is a bounded map of processed contexts. Processed contexts are
// only read by expansion, so one can serve concurrent calls.
type contextCache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]*ld.Context
}

func (c *contextCache) get(key string) (*ld.Context, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ctx, ok := c.entries[key]
	return ctx, ok
}

func (c *contextCache) put(key string, ctx *ld.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries { // evict one arbitrary entry
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = ctx
}
