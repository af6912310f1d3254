package verify_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
	"golang.org/x/mod/sumdb/tlog"
)

// tamperSize is not a power of two, so every stored hash appears in some
// inclusion proof and every tampering of the store is observable.
const tamperSize = 13

type tampering struct {
	name   string
	tamper func(d *memstore.Data) // applied to a copy of the honest store
	want   error
	index  uint64
}

// storeTamperings lists every single tampering of a log's storage: each byte of
// each entry, each deleted entry, each swapped pair, each stored hash.
func storeTamperings(t *testing.T, honest memstore.Data, honestBundle *verify.Bundle) []tampering {
	var out []tampering
	for i, e := range honest.Entries {
		for j := range e {
			out = append(out, tampering{fmt.Sprintf("entry %d byte %d", i, j),
				func(d *memstore.Data) { d.Entries[i][j] ^= 1 }, verify.ErrChangedEntry, uint64(i)})
		}
		out = append(out, tampering{fmt.Sprintf("delete entry %d", i),
			func(d *memstore.Data) { d.Entries[i] = nil }, verify.ErrMissingEntry, uint64(i)})
		for k := i + 1; k < len(honest.Entries); k++ {
			out = append(out, tampering{fmt.Sprintf("swap entries %d and %d", i, k),
				func(d *memstore.Data) { d.Entries[i], d.Entries[k] = d.Entries[k], d.Entries[i] }, verify.ErrReordered, uint64(i)})
		}
	}
	for x := range honest.Hashes {
		change := func(d *memstore.Data) { d.Hashes[x][x%tlog.HashSize] ^= 0x80 }
		d := clone(honest)
		change(&d)
		level, n := tlog.SplitStoredHashIndex(int64(x))
		out = append(out, tampering{fmt.Sprintf("stored hash level %d node %d", level, n), change, verify.ErrBadHash,
			firstChangedProof(t, d, honestBundle)})
	}
	return out
}

func clone(d memstore.Data) memstore.Data { return memstore.Load(d).Data() }

// firstChangedProof returns the first index whose exported proof differs from
// the honest export: where a changed stored hash must be reported.
func firstChangedProof(t *testing.T, d memstore.Data, honest *verify.Bundle) uint64 {
	b := export(t, memstore.Load(d), audit.ExportRequest{})
	for i, e := range b.Entries {
		for k := range e.Proof {
			if !bytes.Equal(e.Proof[k], honest.Entries[i].Proof[k]) {
				return e.Index
			}
		}
	}
	t.Fatalf("a stored hash tampering changes no proof")
	return 0
}

// TestEveryStoreTamperingIsLocated runs every single tampering of the store of
// a 13-entry log, exports it as the log would, and requires the verifier to
// name the right kind and index: 100% detection.
func TestEveryStoreTamperingIsLocated(t *testing.T) {
	s := newLog(t, tamperSize)
	honest := export(t, s, audit.ExportRequest{})
	v := verifier(t)
	if _, err := v.Verify(verify.State{}, honest); err != nil {
		t.Fatalf("honest log: %v", err)
	}
	data := s.Data()
	cases := storeTamperings(t, data, honest)
	detected := 0
	for _, tc := range cases {
		d := clone(data)
		tc.tamper(&d)
		b := export(t, memstore.Load(d), audit.ExportRequest{})
		_, err := v.Verify(verify.State{}, b)
		if checkTamper(t, tc.name, err, tc.want, tc.index) {
			detected++
		}
	}
	if detected != len(cases) {
		t.Fatalf("located %d of %d tamperings", detected, len(cases))
	}
	t.Logf("located all %d tamperings", len(cases))
}

func checkTamper(t *testing.T, name string, err, want error, index uint64) bool {
	t.Helper()
	var te *verify.TamperError
	if !errors.Is(err, want) || !errors.As(err, &te) || te.Index != index {
		t.Errorf("%s: error %v, want %v at index %d", name, err, want, index)
		return false
	}
	return true
}

// TestBundleTamperingIsLocated tampers with an exported bundle itself.
func TestBundleTamperingIsLocated(t *testing.T) {
	s := newLog(t, tamperSize)
	v := verifier(t)
	fresh := func() *verify.Bundle { return export(t, s, audit.ExportRequest{}) }
	var cases []struct {
		name  string
		b     *verify.Bundle
		want  error
		index uint64
	}
	add := func(name string, b *verify.Bundle, want error, index uint64) {
		cases = append(cases, struct {
			name  string
			b     *verify.Bundle
			want  error
			index uint64
		}{name, b, want, index})
	}
	for i := range tamperSize {
		b := fresh()
		b.Entries = append(b.Entries[:i], b.Entries[i+1:]...)
		add(fmt.Sprintf("drop %d", i), b, verify.ErrMissingEntry, uint64(i))
		if i > 0 {
			b = fresh()
			b.Entries[i-1], b.Entries[i] = b.Entries[i], b.Entries[i-1]
			add(fmt.Sprintf("list %d before %d", i, i-1), b, verify.ErrReordered, uint64(i-1))
			b = fresh()
			b.Entries[i] = b.Entries[i-1]
			add(fmt.Sprintf("duplicate %d", i-1), b, verify.ErrReordered, uint64(i-1))
		}
		for k := range fresh().Entries[i].Proof {
			b = fresh()
			b.Entries[i].Proof[k][7] ^= 4
			add(fmt.Sprintf("proof %d hash %d", i, k), b, verify.ErrBadHash, uint64(i))
		}
		b = fresh()
		b.Entries[i].Entry, b.Entries[(i+5)%tamperSize].Entry = b.Entries[(i+5)%tamperSize].Entry, b.Entries[i].Entry
		add(fmt.Sprintf("swap content %d and %d", i, (i+5)%tamperSize), b, verify.ErrReordered, uint64(min(i, (i+5)%tamperSize)))
	}
	for _, c := range cases {
		_, err := v.Verify(verify.State{}, c.b)
		checkTamper(t, c.name, err, c.want, c.index)
	}
}

// TestCheckpointTamperingIsDetected changes the signed root, every signature
// byte, and every byte of the signed note.
func TestCheckpointTamperingIsDetected(t *testing.T) {
	s := newLog(t, tamperSize)
	v := verifier(t)
	honest := export(t, s, audit.ExportRequest{}).Checkpoint
	check := func(name, cp string, wants ...error) {
		b := export(t, s, audit.ExportRequest{})
		b.Checkpoint = cp
		_, err := v.Verify(verify.State{}, b)
		for _, w := range wants {
			if errors.Is(err, w) {
				return
			}
		}
		t.Errorf("%s: error %v, want one of %v", name, err, wants)
	}
	lines := strings.Split(honest, "\n")
	other := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	check("other root", strings.Replace(honest, lines[2], other, 1), verify.ErrBadSignature)
	check("other size", strings.Replace(honest, "\n13\n", "\n12\n", 1), verify.ErrBadSignature)
	sigLine := lines[len(lines)-2]
	prefix, sigB64, _ := strings.Cut(strings.TrimPrefix(sigLine, "— "), " ")
	sig, _ := base64.StdEncoding.DecodeString(sigB64)
	for i := range sig {
		bad := bytes.Clone(sig)
		bad[i] ^= 1
		line := "— " + prefix + " " + base64.StdEncoding.EncodeToString(bad)
		check(fmt.Sprintf("signature byte %d", i), strings.Replace(honest, sigLine, line, 1), verify.ErrBadSignature)
	}
	for i := range len(honest) {
		bad := []byte(honest)
		bad[i] ^= 1
		check(fmt.Sprintf("note byte %d", i), string(bad), verify.ErrBadSignature, verify.ErrMalformed)
	}
}

// TestRootMismatch signs a checkpoint over one tree and ships another tree's
// entries and proofs with it.
func TestRootMismatch(t *testing.T) {
	a, other := newLog(t, tamperSize), new(memstore.Store)
	grow(t, other, "tenant-2", tamperSize)
	b := export(t, other, audit.ExportRequest{})
	b.Checkpoint = export(t, a, audit.ExportRequest{}).Checkpoint
	_, err := verifier(t).Verify(verify.State{}, b)
	checkTamper(t, "other tree", err, verify.ErrRootMismatch, tamperSize)
}
