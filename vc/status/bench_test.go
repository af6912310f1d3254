package status

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// benchList is a list of 131,072 entries with 1% of them set.
func benchList(b *testing.B) *Bitstring {
	b.Helper()
	bits := mustNew(b, MinBits)
	rng := rand.New(rand.NewPCG(7, 7))
	for range MinEntries / 100 {
		if err := bits.Set(rng.IntN(MinEntries), 1, 1); err != nil {
			b.Fatal(err)
		}
	}
	return bits
}

func BenchmarkEncode(b *testing.B) {
	bits := benchList(b)
	b.SetBytes(MinBits / 8)
	for b.Loop() {
		_ = bits.Encode()
	}
}

func BenchmarkDecode(b *testing.B) {
	encoded := benchList(b).Encode()
	b.SetBytes(MinBits / 8)
	for b.Loop() {
		if _, err := Decode(encoded, DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckCached is the verifier's steady state: the list is cached, so a check parses the
// entry, checks the list's validity, issuer, id and purpose, and reads one bit.
func BenchmarkCheckCached(b *testing.B) {
	net := &fakeNet{docs: map[string][]byte{testListURL: listDoc(b, listParams(Revocation), benchList(b))}}
	checker := NewChecker(net, parseOnly, Options{Now: func() time.Time { return testNow }})
	cred := credentialWith(b, entryObject(b, revocationEntry(94567)))
	ctx := context.Background()
	if _, err := checker.Check(ctx, cred); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := checker.Check(ctx, cred); err != nil {
			b.Fatal(err)
		}
	}
	if net.count() != 1 {
		b.Fatalf("%d fetches: the list was not cached", net.count())
	}
}
