package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// fakeDB is a transactional set of ints: a batch's writes are kept only when every
// function succeeds and the commit does.
type fakeDB struct {
	mu         sync.Mutex
	committed  []int
	staged     []int
	batches    []int // sizes of the batches run
	failCommit func(size int) bool
	gate       chan struct{} // when set, the first run closes entered and waits for it
	entered    chan struct{}
}

func newFake() *fakeDB {
	return &fakeDB{gate: make(chan struct{}), entered: make(chan struct{})}
}

func (f *fakeDB) run(_ context.Context, fns []func(store.Tx) error) (int, error) {
	if f.gate != nil {
		close(f.entered)
		<-f.gate
		f.gate = nil
	}
	f.mu.Lock()
	f.staged = nil
	f.batches = append(f.batches, len(fns))
	f.mu.Unlock()
	for i, fn := range fns {
		if err := fn(nil); err != nil {
			return i, err
		}
	}
	if f.failCommit != nil && f.failCommit(len(fns)) {
		return -1, errors.New("commit failed")
	}
	f.mu.Lock()
	f.committed = append(f.committed, f.staged...)
	f.mu.Unlock()
	return -1, nil
}

// write returns a transaction function that stages v, failing after it when fail.
func (f *fakeDB) write(v int, fail bool) func(store.Tx) error {
	return func(store.Tx) error {
		f.mu.Lock()
		f.staged = append(f.staged, v)
		f.mu.Unlock()
		if fail {
			return fmt.Errorf("write %d refused", v)
		}
		return nil
	}
}

// submit runs n concurrent Do calls while the first batch is held, so that the
// others queue up behind it, and returns each call's error.
func submit(t *testing.T, c *Committer, f *fakeDB, n int, fail func(int) bool) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = c.Do(context.Background(), f.write(0, fail(0))) })
	<-f.entered
	for i := 1; i < n; i++ {
		wg.Go(func() { errs[i] = c.Do(context.Background(), f.write(i, fail(i))) })
	}
	for len(c.queue) < n-1 {
		time.Sleep(time.Millisecond)
	}
	close(f.gate)
	wg.Wait()
	return errs
}

func TestBatching(t *testing.T) {
	f := newFake()
	c := New(f.run, Options{})
	defer c.Close()
	errs := submit(t, c, f, 50, func(int) bool { return false })
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if len(f.committed) != 50 || slices.Max(f.batches) < 2 {
		t.Errorf("committed %d in batches %v; want 50 in batches larger than one", len(f.committed), f.batches)
	}
}

func TestMaxBatchOne(t *testing.T) {
	f := newFake()
	c := New(f.run, Options{MaxBatch: 1})
	defer c.Close()
	submit(t, c, f, 10, func(int) bool { return false })
	if slices.Max(f.batches) != 1 {
		t.Errorf("batches %v, want all of size 1", f.batches)
	}
}

func TestFailureIsolated(t *testing.T) {
	tests := []struct {
		name       string
		fail       func(int) bool
		failCommit func(int) bool
	}{
		{"function errors", func(i int) bool { return i%7 == 3 }, nil},
		{"commit of a batch fails", func(int) bool { return false }, func(n int) bool { return n > 1 }},
		{"both", func(i int) bool { return i%5 == 0 }, func(n int) bool { return n > 3 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.failCommit = tc.failCommit
			c := New(f.run, Options{})
			defer c.Close()
			errs := submit(t, c, f, 40, tc.fail)
			var want []int
			for i, err := range errs {
				if tc.fail(i) != (err != nil) {
					t.Errorf("write %d: error %v, want failure %v", i, err, tc.fail(i))
				}
				if !tc.fail(i) {
					want = append(want, i)
				}
			}
			slices.Sort(f.committed)
			if !slices.Equal(f.committed, want) {
				t.Errorf("committed %v, want %v", f.committed, want)
			}
		})
	}
}

func TestPanicReachesCaller(t *testing.T) {
	f := &fakeDB{}
	c := New(f.run, Options{})
	defer c.Close()
	defer func() {
		if v := recover(); v != "boom" {
			t.Errorf("recovered %v, want boom", v)
		}
		if err := c.Do(context.Background(), f.write(1, false)); err != nil {
			t.Errorf("committer unusable after a panic: %v", err)
		}
	}()
	c.Do(context.Background(), func(store.Tx) error { panic("boom") })
	t.Error("Do returned after its function panicked")
}

func TestCancelledBeforeRun(t *testing.T) {
	f := newFake()
	c := New(f.run, Options{})
	defer c.Close()
	first := make(chan error)
	go func() { first <- c.Do(context.Background(), f.write(1, false)) }()
	<-f.entered
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error)
	ran := false
	go func() { second <- c.Do(ctx, func(store.Tx) error { ran = true; return nil }) }()
	for len(c.queue) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(f.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, context.Canceled) || ran {
		t.Errorf("cancelled request: error %v, ran %v; want context.Canceled, not run", err, ran)
	}
}

func TestClose(t *testing.T) {
	f := &fakeDB{}
	c := New(f.run, Options{Workers: 2})
	if err := c.Do(context.Background(), f.write(1, false)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	if err := c.Do(context.Background(), f.write(2, false)); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
}

func TestRetryable(t *testing.T) {
	errTransient := errors.New("deadlock detected")
	tests := []struct {
		name      string
		failures  int
		wantErr   error
		wantCalls int
	}{
		{"recovers", 2, nil, 3},
		{"gives up", Retries + 5, errTransient, Retries + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeDB{}
			c := New(f.run, Options{Retryable: func(err error) bool { return errors.Is(err, errTransient) }})
			defer c.Close()
			calls := 0
			err := c.Do(context.Background(), func(store.Tx) error {
				calls++
				if calls <= tc.failures {
					return errTransient
				}
				return nil
			})
			if !errors.Is(err, tc.wantErr) || calls != tc.wantCalls {
				t.Errorf("Do = %v after %d calls, want %v after %d", err, calls, tc.wantErr, tc.wantCalls)
			}
		})
	}
}
