package idempotency

import "sync"

// Locks serialises, within one process, the requests that carry the same key
// for the same tenant, so that a duplicate sent while the first attempt is in
// flight waits for it and then finds its response recorded. It is for writes
// that cannot record the response in their own transaction; across processes
// only the store's record protects. The zero value is ready to use.
type Locks struct {
	mu   sync.Mutex
	held map[[2]string]*keyLock
}

type keyLock struct {
	mu      sync.Mutex
	waiters int
}

// Lock waits until no other request holds q's key and returns the function that
// releases it.
func (l *Locks) Lock(q Request) (unlock func()) {
	k := [2]string{q.Tenant, q.Key}
	l.mu.Lock()
	if l.held == nil {
		l.held = map[[2]string]*keyLock{}
	}
	kl := l.held[k]
	if kl == nil {
		kl = &keyLock{}
		l.held[k] = kl
	}
	kl.waiters++
	l.mu.Unlock()
	kl.mu.Lock()
	return func() {
		kl.mu.Unlock()
		l.mu.Lock()
		if kl.waiters--; kl.waiters == 0 {
			delete(l.held, k)
		}
		l.mu.Unlock()
	}
}
