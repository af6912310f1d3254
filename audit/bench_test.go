package audit_test

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"golang.org/x/mod/sumdb/tlog"
)

func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	s := new(memstore.Store)
	e := testEntry(0)
	for b.Loop() {
		if _, err := audit.Append(ctx, s, e); err != nil {
			b.Fatal(err)
		}
	}
}

const millionLeaves = 1_000_000

var million = sync.OnceValue(func() *memstore.Store {
	d := memstore.Data{
		Entries:  make([][]byte, millionLeaves),
		Subjects: make([]string, millionLeaves),
		Hashes:   make([]tlog.Hash, 0, tlog.StoredHashCount(millionLeaves)),
	}
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = d.Hashes[x]
		}
		return out, nil
	})
	for i := range millionLeaves {
		d.Entries[i] = binary.BigEndian.AppendUint64(nil, uint64(i))
		h, err := tlog.StoredHashes(int64(i), d.Entries[i], r)
		if err != nil {
			panic(err)
		}
		d.Hashes = append(d.Hashes, h...)
	}
	return memstore.Load(d)
})

func BenchmarkInclusionProof1M(b *testing.B) {
	ctx := context.Background()
	s := million()
	i := uint64(0)
	for b.Loop() {
		if _, err := audit.InclusionProof(ctx, s, i, millionLeaves); err != nil {
			b.Fatal(err)
		}
		i = (i + 7919) % millionLeaves
	}
}

func BenchmarkInclusionProofByLeafHash1M(b *testing.B) {
	ctx := context.Background()
	s := million()
	leaf := audit.LeafHash(binary.BigEndian.AppendUint64(nil, 765_432))
	for b.Loop() {
		if _, _, err := audit.InclusionProofByLeafHash(ctx, s, leaf, millionLeaves); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConsistencyProof1M(b *testing.B) {
	ctx := context.Background()
	s := million()
	for b.Loop() {
		if _, err := audit.ConsistencyProof(ctx, s, 765_432, millionLeaves); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	s := new(memstore.Store)
	c := newCheckpointer(b, 1)
	for i := 0; b.Loop(); i++ {
		if _, err := audit.Append(ctx, s, testEntry(i)); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Sign(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}
