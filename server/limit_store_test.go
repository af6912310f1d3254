package server

import (
	"hash/maphash"
	"strconv"
	"testing"
	"time"
)

func TestBucketStoreBoundsClients(t *testing.T) {
	clk := newFakeClock()
	st := newBucketStore(Budget{PerSecond: 10, Burst: 5}, 64)
	for i := range 10000 {
		st.take("client-"+strconv.Itoa(i), clk.Now())
		if n := st.len(); n > 64 {
			t.Fatalf("after %d clients the store tracks %d, want at most 64", i+1, n)
		}
	}
	// Once every bucket has refilled, ordinary traffic forgets those of its shard.
	clk.Advance(time.Second)
	for range 64 {
		st.take("steady", clk.Now())
	}
	sh := &st.shards[maphash.String(st.seed, "steady")&(bucketShards-1)]
	if n := len(sh.m); n != 1 {
		t.Fatalf("idle buckets kept beside the active one: %d", n-1)
	}
}

func TestBucketStoreEvictsLeastRecentlyUsed(t *testing.T) {
	clk := newFakeClock()
	st := newBucketStore(Budget{PerSecond: 1, Burst: 1}, 2*bucketShards) // two clients per shard
	shard := func(k string) uint64 { return maphash.String(st.seed, k) & (bucketShards - 1) }
	keys := []string{"a"}
	for i := 0; len(keys) < 3; i++ {
		if k := "k" + strconv.Itoa(i); shard(k) == shard("a") {
			keys = append(keys, k)
		}
	}
	a, b, c := keys[0], keys[1], keys[2]
	for _, k := range []string{a, b, a, c} { // a is used again before c arrives
		st.take(k, clk.Now())
	}
	m := st.shards[shard(a)].m
	if _, ok := m[b]; ok {
		t.Fatal("the least recently used client was kept")
	}
	if _, ok := m[a]; !ok {
		t.Fatal("a recently used client was forgotten")
	}
	if ok, wait := st.take(a, clk.Now()); ok || wait != time.Second {
		t.Fatalf("a kept its empty bucket: got %v %v, want refused for 1s", ok, wait)
	}
	if ok, _ := st.take(b, clk.Now()); !ok {
		t.Fatal("a forgotten client starts with a full bucket")
	}
}
