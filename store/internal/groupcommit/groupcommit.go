// Package groupcommit commits many callers' small transactions in one database
// transaction, so that one durable commit (one fsync) serves them all.
//
// Callers submit a function with [Committer.Do] and wait. A worker takes every
// request queued at that moment (up to MaxBatch), runs their functions in order in
// one transaction and commits it. There is no added delay: while one batch
// commits, new requests queue up and form the next batch, so batches grow with load.
//
// When a function fails, the batch transaction is rolled back and split: the
// functions before it are run again as a batch, the failing one alone (so its
// error is its own, not caused by a neighbour), and those after it as a batch.
// When a commit fails, each function is retried in its own transaction. One bad
// write therefore never fails another caller's write.
package groupcommit

import (
	"context"
	"errors"
	"sync"

	"github.com/kakunin-dev/kakunin/store"
)

// RunFunc begins a transaction, calls fns in order and commits. When fns[i]
// returns an error it rolls back and returns (i, that error); when beginning or
// committing fails it returns (-1, the error).
type RunFunc func(ctx context.Context, fns []func(store.Tx) error) (int, error)

// Options tune a Committer. The zero value is usable.
type Options struct {
	// MaxBatch bounds the functions in one transaction; 0 means 256, and 1 turns
	// batching off (one transaction per call).
	MaxBatch int
	// Workers is the number of transactions committed at once; 0 means 1. SQLite
	// has one writer, so more than one only helps a server database.
	Workers int
	// Retryable reports errors after which a transaction that failed on its own is
	// run again (at most Retries times): a deadlock or serialization failure that a
	// server database resolved by aborting it. nil retries nothing.
	Retryable func(error) bool
}

// Retries bounds how often a transaction is rerun after a Retryable error.
const Retries = 3

// Committer batches transactions. It is safe for concurrent use.
type Committer struct {
	run   RunFunc
	retry func(error) bool
	max   int
	queue chan *request
	mu    sync.RWMutex
	shut  bool
	wg    sync.WaitGroup
}

type request struct {
	ctx      context.Context
	fn       func(store.Tx) error
	done     chan struct{}
	err      error
	panicked any
	retries  int
}

// queueLen is how many requests wait before Do blocks in its send.
const queueLen = 1024

// errPanicked stands for a function that panicked while its batch ran.
var errPanicked = errors.New("groupcommit: function panicked")

// New starts a Committer that commits through run. Close stops it.
func New(run RunFunc, opts Options) *Committer {
	limit := opts.MaxBatch
	if limit <= 0 {
		limit = 256
	}
	workers := max(opts.Workers, 1)
	c := &Committer{run: run, retry: opts.Retryable, max: limit, queue: make(chan *request, queueLen)}
	c.wg.Add(workers)
	for range workers {
		go c.work()
	}
	return c
}

// Do runs fn in a transaction shared with other callers and returns once that
// transaction is committed (nil), or with fn's error, the commit error, or
// ctx.Err() when ctx ends before fn ran. A panic in fn is re-raised in the caller.
func (c *Committer) Do(ctx context.Context, fn func(store.Tx) error) error {
	r := &request{ctx: ctx, fn: fn, done: make(chan struct{})}
	c.mu.RLock()
	if c.shut {
		c.mu.RUnlock()
		return store.ErrClosed
	}
	select {
	case c.queue <- r:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	<-r.done
	if r.panicked != nil {
		panic(r.panicked)
	}
	return r.err
}

// Close commits what is queued, stops the workers and makes Do return ErrClosed.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.shut {
		c.shut = true
		close(c.queue)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

func (c *Committer) work() {
	defer c.wg.Done()
	for r := range c.queue {
		batch := c.gather(r)
		live := batch[:0]
		for _, r := range batch {
			if err := r.ctx.Err(); err != nil {
				r.finish(err)
				continue
			}
			live = append(live, r)
		}
		c.commit(live)
	}
}

// gather adds to r every request already queued, up to MaxBatch.
func (c *Committer) gather(r *request) []*request {
	batch := []*request{r}
	for len(batch) < c.max {
		select {
		case next, ok := <-c.queue:
			if !ok {
				return batch
			}
			batch = append(batch, next)
		default:
			return batch
		}
	}
	return batch
}

// commit runs reqs in one transaction, splitting the batch on failure.
func (c *Committer) commit(reqs []*request) {
	if len(reqs) == 0 {
		return
	}
	failed, err := c.run(context.Background(), wrap(reqs))
	switch {
	case err == nil:
		for _, r := range reqs {
			r.finish(nil)
		}
	case len(reqs) == 1 && reqs[0].panicked == nil:
		if r := reqs[0]; c.retry != nil && c.retry(err) && r.retries < Retries {
			r.retries++
			c.commit(reqs)
			return
		}
		reqs[0].finish(err)
	case failed < 0 || failed >= len(reqs):
		for _, r := range reqs {
			c.commit([]*request{r})
		}
	default:
		c.commit(reqs[:failed])
		if r := reqs[failed]; r.panicked != nil {
			r.finish(errPanicked)
		} else {
			c.commit([]*request{r})
		}
		c.commit(reqs[failed+1:])
	}
}

// wrap turns each request into a function that records a panic instead of
// unwinding the worker.
func wrap(reqs []*request) []func(store.Tx) error {
	fns := make([]func(store.Tx) error, len(reqs))
	for i, r := range reqs {
		r.panicked = nil
		fns[i] = func(tx store.Tx) (err error) {
			defer func() {
				if v := recover(); v != nil {
					r.panicked = v
					err = errPanicked
				}
			}()
			return r.fn(tx)
		}
	}
	return fns
}

func (r *request) finish(err error) {
	r.err = err
	close(r.done)
}
