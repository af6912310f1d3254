package status

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// publish replaces the list at url.
func publish(t *testing.T, net *fakeNet, url string, p ListParams, bits *Bitstring) {
	t.Helper()
	p.ID = url
	doc := listDoc(t, p, bits)
	net.mu.Lock()
	defer net.mu.Unlock()
	net.docs[url] = doc
}

func TestCacheByTTL(t *testing.T) {
	tests := []struct {
		name      string
		ttl       time.Duration
		opts      Options
		fresh     time.Duration // still cached after this long
		refetched time.Duration // fetched again after this long
	}{
		{"list ttl", 10 * time.Minute, Options{}, 9 * time.Minute, 10 * time.Minute},
		{"default without ttl", 0, Options{}, 4 * time.Minute, DefaultCacheTTL},
		{"configured without ttl", 0, Options{CacheTTL: time.Minute}, 59 * time.Second, time.Minute},
		{"capped ttl", 48 * time.Hour, Options{MaxCacheTTL: time.Hour}, 59 * time.Minute, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := &fakeNet{docs: map[string][]byte{}}
			p := listParams(Revocation)
			p.TTL = tt.ttl
			publish(t, net, testListURL, p, mustNew(t, MinBits))
			clk := &clock{t: testNow}
			tt.opts.Now = clk.Now
			checker := NewChecker(net, parseOnly, tt.opts)
			cred := credentialWith(t, entryObject(t, revocationEntry(1)))
			check := func(wantFetches int) {
				t.Helper()
				if _, err := checker.Check(context.Background(), cred); err != nil {
					t.Fatal(err)
				}
				if got := net.count(); got != wantFetches {
					t.Fatalf("%d fetches, want %d", got, wantFetches)
				}
			}
			check(1)
			clk.advance(tt.fresh)
			check(1)
			clk.advance(tt.refetched - tt.fresh)
			check(2)
		})
	}
}

// TestCacheZeroTTL: a ttl of 0 asks for a refresh on every use.
func TestCacheZeroTTL(t *testing.T) {
	net := editedList(t, func(_, s map[string]any) { s["ttl"] = 0 })
	checker := NewChecker(net, parseOnly, Options{Now: func() time.Time { return testNow }})
	cred := credentialWith(t, entryObject(t, revocationEntry(1)))
	for range 2 {
		if _, err := checker.Check(context.Background(), cred); err != nil {
			t.Fatal(err)
		}
	}
	if net.count() != 2 {
		t.Fatalf("%d fetches, want 2", net.count())
	}
}

// TestCacheUntilValidUntil: a cached list is not used past its validity period.
func TestCacheUntilValidUntil(t *testing.T) {
	net := &fakeNet{docs: map[string][]byte{}}
	p := listParams(Revocation)
	p.TTL, p.ValidUntil = time.Hour, testNow.Add(time.Minute)
	publish(t, net, testListURL, p, mustNew(t, MinBits))
	clk := &clock{t: testNow}
	checker := NewChecker(net, parseOnly, Options{Now: clk.Now})
	cred := credentialWith(t, entryObject(t, revocationEntry(1)))
	if _, err := checker.Check(context.Background(), cred); err != nil {
		t.Fatal(err)
	}
	clk.advance(2 * time.Minute)
	if _, err := checker.Check(context.Background(), cred); !errors.Is(err, vc.ErrExpired) || net.count() != 2 {
		t.Fatalf("after validUntil: %v, %d fetches; want ErrExpired after a refetch", err, net.count())
	}
}

// TestSuspendAndReinstate: the suspension bit is set, then cleared; the verifier sees the change
// once the cached list expires.
func TestSuspendAndReinstate(t *testing.T) {
	net := &fakeNet{docs: map[string][]byte{}}
	p := listParams(Suspension)
	p.TTL = time.Minute
	bits := mustNew(t, MinBits)
	publish(t, net, suspensionURL, p, bits)
	clk := &clock{t: testNow}
	checker := NewChecker(net, parseOnly, Options{Now: clk.Now})
	cred := credentialWith(t, entryObject(t, Entry{Purpose: Suspension, Index: 4242, ListCredential: suspensionURL}))
	valid := func() bool {
		t.Helper()
		results, err := checker.Check(context.Background(), cred)
		if err != nil {
			t.Fatal(err)
		}
		return results[0].Valid
	}
	steps := []struct {
		set  uint64
		wait time.Duration
		want bool
	}{
		{0, 0, true},
		{1, 0, true},            // suspended, but the cached list is still fresh
		{1, time.Minute, false}, // cache expired: suspended
		{0, 0, false},
		{0, time.Minute, true}, // reinstated
	}
	for i, s := range steps {
		mustSet(t, bits, 4242, 1, s.set)
		publish(t, net, suspensionURL, p, bits)
		clk.advance(s.wait)
		if got := valid(); got != s.want {
			t.Fatalf("step %d: valid = %v, want %v", i, got, s.want)
		}
	}
}

// TestCacheEviction: the least recently used list leaves when the budget is exceeded.
func TestCacheEviction(t *testing.T) {
	net := &fakeNet{docs: map[string][]byte{}}
	urls := []string{testListURL, suspensionURL, messageURL}
	for _, u := range urls {
		publish(t, net, u, listParams(Revocation), mustNew(t, MinBits))
	}
	checker := NewChecker(net, parseOnly, Options{Now: func() time.Time { return testNow }, CacheBytes: 2 * MinBits / 8})
	check := func(url string) {
		t.Helper()
		cred := credentialWith(t, entryObject(t, Entry{Purpose: Revocation, Index: 1, ListCredential: url}))
		if _, err := checker.Check(context.Background(), cred); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{urls[0], urls[1], urls[0], urls[2]} { // urls[1] is evicted
		check(u)
	}
	if net.count() != 3 {
		t.Fatalf("%d fetches, want 3", net.count())
	}
	check(urls[0])
	check(urls[1])
	if net.count() != 4 {
		t.Fatalf("%d fetches, want 4: only the evicted list is fetched again", net.count())
	}
}

func TestCheckOneShotDoesNotCache(t *testing.T) {
	net := world(t)
	cred := credentialWith(t, entryObject(t, revocationEntry(1)))
	for range 2 {
		if _, err := Check(context.Background(), cred, net, parseOnly, testNow); err != nil {
			t.Fatal(err)
		}
	}
	if net.count() != 2 {
		t.Fatalf("%d fetches, want 2", net.count())
	}
}

func TestCheckerConcurrent(t *testing.T) {
	checker := NewChecker(world(t), parseOnly, Options{Now: func() time.Time { return testNow }})
	cred := credentialWith(t, []any{entryObject(t, revocationEntry(94567)), entryObject(t, messageEntry(7))})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			results, err := checker.Check(context.Background(), cred)
			if err == nil && (len(results) != 2 || results[0].Valid || results[1].Message != "rejected") {
				err = errors.New("wrong results")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// gate is a Fetcher that blocks until released or until the caller's context ends.
type gate struct {
	*fakeNet
	release chan struct{}
}

func (g gate) Fetch(ctx context.Context, url string) ([]byte, error) {
	select {
	case <-g.release:
		return g.fakeNet.Fetch(ctx, url)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestConcurrentMissesShareOneFetch: checks that miss the cache together fetch the list once.
func TestConcurrentMissesShareOneFetch(t *testing.T) {
	g := gate{world(t), make(chan struct{})}
	checker := NewChecker(g, parseOnly, Options{Now: func() time.Time { return testNow }})
	cred := credentialWith(t, entryObject(t, revocationEntry(94567)))
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := checker.Check(context.Background(), cred)
			errs <- err
		}()
	}
	waitFor(t, func() bool { return checker.flights.waiting(testListURL) == n-1 })
	close(g.release)
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if g.count() != 1 {
		t.Fatalf("%d fetches, want 1", g.count())
	}
}

// TestCanceledLeader: when the check that fetches is canceled, a waiting check fetches again
// rather than failing with the other's cancellation, and a canceled waiter stops waiting.
func TestCanceledLeader(t *testing.T) {
	g := gate{world(t), make(chan struct{})}
	checker := NewChecker(g, parseOnly, Options{Now: func() time.Time { return testNow }})
	cred := credentialWith(t, entryObject(t, revocationEntry(94567)))
	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	waiterCtx, cancelWaiter := context.WithCancel(context.Background())
	leader, waiter, patient := make(chan error, 1), make(chan error, 1), make(chan error, 1)
	go func() { _, err := checker.Check(leaderCtx, cred); leader <- err }()
	waitFor(t, func() bool { return checker.flights.waiting(testListURL) == 0 })
	go func() { _, err := checker.Check(waiterCtx, cred); waiter <- err }()
	go func() { _, err := checker.Check(context.Background(), cred); patient <- err }()
	waitFor(t, func() bool { return checker.flights.waiting(testListURL) == 2 })
	cancelWaiter()
	if err := <-waiter; !errors.Is(err, ErrRetrieval) || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled waiter: %v", err)
	}
	cancelLeader()
	if err := <-leader; !errors.Is(err, ErrRetrieval) {
		t.Fatalf("canceled leader: %v", err)
	}
	close(g.release)
	if err := <-patient; err != nil {
		t.Fatalf("the patient waiter inherited the leader's cancellation: %v", err)
	}
}
