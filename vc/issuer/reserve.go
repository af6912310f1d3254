package issuer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// DefaultStatusReserve is how many status indexes of each purpose an instance
// reserves at a time when Config.StatusReserve is zero.
const DefaultStatusReserve = 256

// issuedPurposes are the status entries every credential gets, in this order.
var issuedPurposes = [...]status.Purpose{status.Revocation, status.Suspension}

// reservePool hands out status entries of one instance and purpose that the
// store reserved in advance (store.StatusTx.ReserveStatusIndexes), so that an
// issuance signs before its transaction and needs no allocation in it. When
// fewer than half a block are left, one refill transaction reserves the next
// block in the background; callers that find the pool empty wait for it.
type reservePool struct {
	in      *Instance
	purpose status.Purpose

	mu      sync.Mutex
	free    []store.StatusEntry
	filling chan struct{} // closed when the refill under way ends; nil when none is
	err     error         // the last refill's error
}

type poolKey struct {
	instance string
	purpose  status.Purpose
}

// newPools makes the pools of every instance and purpose.
func newPools(instances []*Instance) map[poolKey]*reservePool {
	pools := map[poolKey]*reservePool{}
	for _, in := range instances {
		for _, p := range issuedPurposes {
			pools[poolKey{in.Name, p}] = &reservePool{in: in, purpose: p}
		}
	}
	return pools
}

// takeEntries takes a revocation and a suspension entry of in and returns
// them with their credentialStatus objects.
func (is *Issuer) takeEntries(ctx context.Context, in *Instance) ([]store.StatusEntry, []any, error) {
	entries := make([]store.StatusEntry, 0, len(issuedPurposes))
	objs := make([]any, 0, len(issuedPurposes))
	for _, p := range issuedPurposes {
		e, err := is.take(ctx, is.pools[poolKey{in.Name, p}])
		if err == nil {
			var obj map[string]any
			obj, err = status.Entry{ID: fmt.Sprintf("%s#%d", e.URL, e.Index), Purpose: p, Index: e.Index,
				ListCredential: e.URL}.Object()
			entries, objs = append(entries, e), append(objs, obj)
		}
		if err != nil {
			is.giveBack(in, entries)
			return nil, nil, fmt.Errorf("issuer: allocate %s index: %w", p, err)
		}
	}
	return entries, objs, nil
}

// giveBack returns entries that no stored credential holds to their pools.
func (is *Issuer) giveBack(in *Instance, entries []store.StatusEntry) {
	for _, e := range entries {
		pl := is.pools[poolKey{in.Name, e.Purpose}]
		pl.mu.Lock()
		pl.free = append(pl.free, e)
		pl.mu.Unlock()
	}
}

// take returns an entry of pl, starting a refill when it runs low and waiting
// for one when it is empty.
func (is *Issuer) take(ctx context.Context, pl *reservePool) (store.StatusEntry, error) {
	for {
		pl.mu.Lock()
		n := len(pl.free)
		if n <= is.cfg.StatusReserve/2 && pl.filling == nil {
			pl.filling = make(chan struct{})
			go is.refill(pl)
		}
		if n > 0 {
			e := pl.free[n-1]
			pl.free = pl.free[:n-1]
			pl.mu.Unlock()
			return e, nil
		}
		wait := pl.filling
		pl.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return store.StatusEntry{}, ctx.Err()
		}
		pl.mu.Lock()
		err, empty := pl.err, len(pl.free) == 0
		pl.mu.Unlock()
		if err != nil && empty {
			return store.StatusEntry{}, err
		}
	}
}

// refillTimeout bounds a refill's transaction, so that a database that hangs fails the
// issuances waiting for it instead of holding them, and ReleaseReserved, for good.
const refillTimeout = 30 * time.Second

// refill reserves a block of entries for pl in a transaction of its own.
func (is *Issuer) refill(pl *reservePool) {
	ctx, cancel := context.WithTimeout(context.Background(), refillTimeout)
	defer cancel()
	spec := store.StatusListSpec{InstanceID: pl.in.Name, Purpose: pl.purpose,
		URLPrefix: is.listPrefix(pl.in, pl.purpose), Entries: is.cfg.ListEntries, Capacity: is.cfg.ListCapacity,
		At: is.now()}
	var got []store.StatusEntry
	err := is.cfg.Store.Tx(ctx, func(tx Tx) error {
		var err error
		got, err = tx.ReserveStatusIndexes(ctx, spec, is.cfg.StatusReserve, is.cfg.Rand)
		return err
	})
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if err == nil {
		pl.free = append(pl.free, got...)
	}
	pl.err = err
	close(pl.filling)
	pl.filling = nil
}

// ReleaseReserved gives the status indexes that the instances reserved and have not used
// back to their lists, in one transaction, so that a stopping process leaves none
// allocated to no credential; call it after the last issuance and before the store is
// closed. It waits for the refills under way first, so that their blocks are released too.
// When the transaction fails, the entries stay in the pools. An issuance after it
// reserves again. It returns how many indexes were released.
func (is *Issuer) ReleaseReserved(ctx context.Context) (int, error) {
	var entries []store.StatusEntry
	drained := map[*reservePool][]store.StatusEntry{}
	for _, pl := range is.pools {
		if err := pl.settle(ctx); err != nil {
			return 0, fmt.Errorf("issuer: releasing reserved status indexes: %w", err)
		}
		pl.mu.Lock()
		drained[pl] = pl.free
		entries = append(entries, pl.free...)
		pl.free = nil
		pl.mu.Unlock()
	}
	if len(entries) == 0 {
		return 0, nil
	}
	n, err := is.release(ctx, entries)
	if err != nil {
		for pl, free := range drained {
			pl.mu.Lock()
			pl.free = append(pl.free, free...)
			pl.mu.Unlock()
		}
		return 0, fmt.Errorf("issuer: releasing reserved status indexes: %w", err)
	}
	return n, nil
}

// settle waits until no refill of pl is under way.
func (pl *reservePool) settle(ctx context.Context) error {
	for {
		pl.mu.Lock()
		wait := pl.filling
		pl.mu.Unlock()
		if wait == nil {
			return nil
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release deletes the entries that are bound to no credential (the store checks) in a
// transaction of its own, and returns how many it deleted.
func (is *Issuer) release(ctx context.Context, entries []store.StatusEntry) (int, error) {
	var n int
	err := is.cfg.Store.Tx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.ReleaseStatusIndexes(ctx, entries)
		return err
	})
	return n, err
}

// releaseTimeout bounds the transaction that releases the entries of a failed issuance.
const releaseTimeout = 5 * time.Second

// releaseDropped releases the entries of an issuance that failed at or after its
// transaction; the store deletes only those bound to no credential and unset.
func (is *Issuer) releaseDropped(entries []store.StatusEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	// When this fails too, the entries stay reserved in no credential, as after a crash.
	_, _ = is.release(ctx, entries)
}
