package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"golang.org/x/mod/sumdb/tlog"
)

func entry(i int) audit.Entry {
	return audit.Entry{Type: audit.DIDDeactivated, Time: time.Unix(int64(i), 0), Actor: "system", Tenant: "t",
		Subject: "did:example:a", Digest: audit.SHA256([]byte{byte(i)})}
}

func TestLoadDataRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	for i := range 5 {
		if _, err := audit.Append(ctx, s, entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	d := s.Data()
	d.Entries[2] = nil // removed entry
	loaded := memstore.Load(d)
	got, err := loaded.EntriesRange(ctx, 1, 4)
	if err != nil || len(got) != 2 || got[0].Index != 1 || got[1].Index != 3 {
		t.Fatalf("EntriesRange = %+v, %v", got, err)
	}
	if i, err := loaded.IndexByLeafHash(ctx, d.Hashes[tlog.StoredHashIndex(0, 4)]); err != nil || i != 4 {
		t.Fatalf("IndexByLeafHash = %d, %v", i, err)
	}
	d.Entries[0][0] = 'x'
	if again := loaded.Data(); again.Entries[0][0] == 'x' {
		t.Fatal("Load did not copy the data")
	}
}

func TestAppendLeafChecksIndex(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	if err := s.AppendLeaf(ctx, audit.Leaf{Index: 1, Hashes: []tlog.Hash{{}}}); err == nil {
		t.Fatal("appended at index 1 of an empty tree")
	}
	if _, err := s.ReadHashes(ctx, []int64{0}); !errors.Is(err, memstore.ErrMissingHash) {
		t.Fatalf("ReadHashes of an empty store: %v", err)
	}
}
