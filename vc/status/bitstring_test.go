package status

import (
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestNewSizes(t *testing.T) {
	tests := []struct {
		name   string
		length int
		want   error
	}{
		{"minimum", MinBits, nil},
		{"larger", 2 * MinBits, nil},
		{"one byte short", MinBits - 8, ErrListTooShort},
		{"zero", 0, ErrListTooShort},
		{"not whole bytes", MinBits + 3, vc.ErrMalformedValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := New(tt.length)
			if !errors.Is(err, tt.want) {
				t.Fatalf("New(%d) error %v, want %v", tt.length, err, tt.want)
			}
			if err == nil && b.Len() != tt.length {
				t.Fatalf("Len() = %d, want %d", b.Len(), tt.length)
			}
			if errors.Is(err, ErrListTooShort) && !errors.Is(err, ErrListLength) {
				t.Fatalf("a short list must be a STATUS_LIST_LENGTH_ERROR: %v", err)
			}
		})
	}
}

// TestBitOrder: §2.2, "the first index, with a value of zero (0), is located at the left-most
// bit in the bitstring".
func TestBitOrder(t *testing.T) {
	b := mustNew(t, MinBits)
	for _, i := range []int{0, 9, MinBits - 1} {
		if err := b.Set(i, 1, 1); err != nil {
			t.Fatal(err)
		}
	}
	raw := b.Bytes()
	if raw[0] != 0x80 || raw[1] != 0x40 || raw[len(raw)-1] != 0x01 {
		t.Fatalf("bytes %#x %#x … %#x, want 0x80 0x40 … 0x01", raw[0], raw[1], raw[len(raw)-1])
	}
}

func TestSetGetOneBit(t *testing.T) {
	b := mustNew(t, MinBits)
	steps := []struct {
		name  string
		index int
		value uint64
	}{
		{"revoke", 94567, 1},
		{"suspend", 23452, 1},
		{"unsuspend", 23452, 0},
		{"first", 0, 1},
		{"last", MinBits - 1, 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := b.Set(s.index, 1, s.value); err != nil {
				t.Fatal(err)
			}
			got, err := b.Get(s.index, 1)
			if err != nil || got != s.value {
				t.Fatalf("Get(%d) = %d, %v; want %d", s.index, got, err, s.value)
			}
		})
	}
	if v, _ := b.Get(94568, 1); v != 0 {
		t.Fatalf("a neighbour of a set bit reads %d", v)
	}
}

// TestMultiBit: an entry of statusSize n at index i is bits i·n … i·n+n-1, most significant first.
func TestMultiBit(t *testing.T) {
	b := mustNew(t, MinBits)
	if err := b.Set(1, 3, 0b101); err != nil {
		t.Fatal(err)
	}
	if got := b.Bytes()[0]; got != 0b000_101_00 {
		t.Fatalf("first byte %08b, want 00010100", got)
	}
	for index, want := range map[int]uint64{0: 0, 1: 0b101, 2: 0} {
		if got, err := b.Get(index, 3); err != nil || got != want {
			t.Fatalf("Get(%d, 3) = %b, %v; want %b", index, got, err, want)
		}
	}
	if err := b.Set(1, 3, 0b010); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(1, 3); got != 0b010 {
		t.Fatalf("overwrite read %b, want 010", got)
	}
	last := b.Entries(16) - 1
	if err := b.Set(last, 16, 0xbeef); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(last, 16); got != 0xbeef {
		t.Fatalf("16-bit entry reads %#x", got)
	}
}

func TestEntryRange(t *testing.T) {
	b := mustNew(t, MinBits)
	tests := []struct {
		name        string
		index, size int
		value       uint64
	}{
		{"negative index", -1, 1, 0},
		{"index at length", MinBits, 1, 0},
		{"index past length for size 2", MinBits / 2, 2, 0},
		{"size zero", 0, 0, 0},
		{"size too large", 0, MaxStatusSize + 1, 0},
		{"value too large", 0, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := b.Set(tt.index, tt.size, tt.value); !errors.Is(err, vc.ErrRange) {
				t.Fatalf("Set error %v, want RANGE_ERROR", err)
			}
			if tt.value == 0 {
				if _, err := b.Get(tt.index, tt.size); !errors.Is(err, vc.ErrRange) {
					t.Fatalf("Get error %v, want RANGE_ERROR", err)
				}
			}
		})
	}
}

func TestCloneIsIndependent(t *testing.T) {
	b := mustNew(t, MinBits)
	c := b.Clone()
	if err := c.Set(5, 1, 1); err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Get(5, 1); v != 0 {
		t.Fatal("setting a clone changed the original")
	}
}

func TestFromBytes(t *testing.T) {
	b := mustNew(t, MinBits)
	mustSet(t, b, 77, 1, 1)
	raw := b.Bytes()
	back, err := FromBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	raw[0] = 0xff
	if v, _ := back.Get(77, 1); v != 1 || back.Bytes()[0] != 0 {
		t.Fatal("FromBytes does not hold an independent copy of the bits")
	}
	if _, err := FromBytes(raw[:len(raw)-1]); !errors.Is(err, ErrListTooShort) {
		t.Fatalf("short input: %v", err)
	}
}
