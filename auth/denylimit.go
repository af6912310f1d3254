package auth

import (
	"sync"
	"time"
)

// DenialLimit bounds how many authz.decision entries refused requests may add
// to the audit log. Each key (the token id presented, else the client address)
// gets at most PerWindow entries per Window; further refusals in that window
// are counted, and the count is logged as one summary entry once the window has
// ended (at the next refusal from any key). At most MaxKeys keys are tracked;
// refusals from further keys share one overflow key. The zero value allows 10
// entries per minute per key and 1024 keys.
type DenialLimit struct {
	PerWindow int
	Window    time.Duration
	MaxKeys   int
}

func (l DenialLimit) withDefaults() DenialLimit {
	if l.PerWindow <= 0 {
		l.PerWindow = 10
	}
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = 1024
	}
	return l
}

// overflowKey collects the refusals of keys beyond DenialLimit.MaxKeys.
const overflowKey = "*"

// window is one key's current rate window.
type window struct {
	start      time.Time
	logged     int
	suppressed int
	actor      string // of the first refusal in the window
	tenant     string
	token      string // presented token id, "" for none
}

// suppression is a window that ended with refusals left unlogged.
type suppression struct {
	w   window
	end time.Time
}

// denialLimiter decides which refusals are logged. It is safe for concurrent use.
type denialLimiter struct {
	mu   sync.Mutex
	lim  DenialLimit
	keys map[string]*window
}

func newDenialLimiter(l DenialLimit) *denialLimiter {
	return &denialLimiter{lim: l.withDefaults(), keys: make(map[string]*window)}
}

// admit reports whether a refusal keyed key at now is logged, and returns the
// windows that have ended with suppressed refusals, to be summarised (each
// once). d describes the refusal for a new window.
func (l *denialLimiter) admit(key string, d window, now time.Time) (bool, []suppression) {
	l.mu.Lock()
	defer l.mu.Unlock()
	due := l.sweep(now)
	w, ok := l.keys[key]
	if !ok && len(l.keys) >= l.lim.MaxKeys {
		key, d.actor, d.tenant, d.token = overflowKey, ActorAnonymous, TenantUnknown, ""
		w, ok = l.keys[key]
	}
	if !ok {
		d.start, d.logged, d.suppressed = now, 0, 0
		w = &d
		l.keys[key] = w
	}
	if w.logged >= l.lim.PerWindow {
		w.suppressed++
		return false, due
	}
	w.logged++
	return true, due
}

// drain ends every window at now and returns those with suppressed refusals.
func (l *denialLimiter) drain(now time.Time) []suppression {
	l.mu.Lock()
	defer l.mu.Unlock()
	var due []suppression
	for k, w := range l.keys {
		if w.suppressed > 0 {
			due = append(due, suppression{w: *w, end: now})
		}
		delete(l.keys, k)
	}
	return due
}

// sweep forgets the windows that ended by now and returns those with
// suppressed refusals.
func (l *denialLimiter) sweep(now time.Time) []suppression {
	var due []suppression
	for k, w := range l.keys {
		end := w.start.Add(l.lim.Window)
		if now.Before(end) {
			continue
		}
		if w.suppressed > 0 {
			due = append(due, suppression{w: *w, end: end})
		}
		delete(l.keys, k)
	}
	return due
}
