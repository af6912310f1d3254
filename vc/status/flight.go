package status

import (
	"context"
	"sync"
)

// flights lets concurrent checks that miss the cache for the same list share one retrieval, so
// that a burst of verifications does not become a burst of requests to the issuer.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done     chan struct{}
	list     *List
	err      error
	canceled bool // the leader's context ended, so its error says nothing about the list
	waiters  int
}

// do returns the result of fn for key, running fn once for all concurrent callers. A caller
// whose context ends stops waiting with the context's error; when the leader's context ended,
// a waiter whose context is alive retrieves again instead of inheriting that error.
func (g *flights) do(ctx context.Context, key string, fn func(context.Context) (*List, error)) (*List, error) {
	for {
		g.mu.Lock()
		if g.m == nil {
			g.m = make(map[string]*flight)
		}
		if f, ok := g.m[key]; ok {
			f.waiters++
			g.mu.Unlock()
			select {
			case <-f.done:
				if f.canceled && ctx.Err() == nil {
					continue
				}
				return f.list, f.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		f := &flight{done: make(chan struct{})}
		g.m[key] = f
		g.mu.Unlock()
		f.list, f.err = fn(ctx)
		f.canceled = ctx.Err() != nil
		g.mu.Lock()
		delete(g.m, key)
		g.mu.Unlock()
		close(f.done)
		return f.list, f.err
	}
}

// waiting returns how many callers wait on the retrieval of key, or -1 when none runs.
func (g *flights) waiting(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f, ok := g.m[key]; ok {
		return f.waiters
	}
	return -1
}
