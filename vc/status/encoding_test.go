package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

// TestDecodeSpecExample: the encodedList of §2.2 Example 3 is an all-zero list of 131,072
// entries.
func TestDecodeSpecExample(t *testing.T) {
	b, err := Decode(specEncodedList, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != MinBits {
		t.Fatalf("Len() = %d, want %d", b.Len(), MinBits)
	}
	if !bytes.Equal(b.Bytes(), make([]byte, MinBits/8)) {
		t.Fatal("the spec's list has a set bit")
	}
}

// TestEncodeAllZero: the spec's string comes from another GZIP encoder, so ours differs in the
// DEFLATE bytes; both expand to the same list, and ours is deterministic and as compact.
func TestEncodeAllZero(t *testing.T) {
	b := mustNew(t, MinBits)
	got := b.Encode()
	if got != b.Encode() {
		t.Fatal("Encode is not deterministic")
	}
	if !strings.HasPrefix(got, "uH4sI") || len(got) > len(specEncodedList)+8 {
		t.Fatalf("Encode() = %q: not a compact GZIP multibase string", got)
	}
	back, err := Decode(got, DecodeOptions{})
	if err != nil || !bytes.Equal(back.Bytes(), b.Bytes()) {
		t.Fatalf("round trip failed: %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, length := range []int{MinBits, 3 * MinBits} {
		b := mustNew(t, length)
		for range 1000 {
			if err := b.Set(rng.IntN(b.Entries(2)), 2, rng.Uint64N(4)); err != nil {
				t.Fatal(err)
			}
		}
		back, err := Decode(b.Encode(), DecodeOptions{})
		if err != nil || !bytes.Equal(back.Bytes(), b.Bytes()) {
			t.Fatalf("length %d: round trip failed: %v", length, err)
		}
	}
}

func gzipped(tb testing.TB, members ...[]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	for _, m := range members {
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(m); err != nil {
			tb.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

func multibase(data []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(data) }

func TestDecodeErrors(t *testing.T) {
	zeros := make([]byte, MinBits/8)
	good := gzipped(t, zeros)
	truncated := good[:len(good)-3]
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-5] ^= 0xff // CRC-32
	tests := []struct {
		name    string
		encoded string
		opts    DecodeOptions
		want    error
	}{
		{"empty", "", DecodeOptions{}, ErrEncoding},
		{"base58btc prefix", "z" + multibase(good)[1:], DecodeOptions{}, ErrEncoding},
		{"padded", multibase(good) + "==", DecodeOptions{}, ErrEncoding},
		{"standard alphabet", "u" + base64.RawStdEncoding.EncodeToString(good), DecodeOptions{}, ErrEncoding},
		{"line break", multibase(good)[:10] + "\n" + multibase(good)[10:], DecodeOptions{}, ErrEncoding},
		{"impossible length", multibase(good) + "A", DecodeOptions{}, ErrEncoding},
		{"not gzip", multibase(zeros), DecodeOptions{}, ErrEncoding},
		{"truncated gzip", multibase(truncated), DecodeOptions{}, ErrEncoding},
		{"bad checksum", multibase(corrupt), DecodeOptions{}, ErrEncoding},
		{"trailing garbage", multibase(append(bytes.Clone(good), 1, 2, 3)), DecodeOptions{}, ErrEncoding},
		{"too short", multibase(gzipped(t, make([]byte, MinBits/8-1))), DecodeOptions{}, ErrListTooShort},
		{"bomb over default limit", multibase(gzipped(t, make([]byte, DefaultMaxBytes+1))), DecodeOptions{}, ErrListTooLarge},
		{"bomb over set limit", multibase(gzipped(t, make([]byte, 64<<10))), DecodeOptions{MaxBytes: 32 << 10}, ErrListTooLarge},
		{"bomb in second member", multibase(gzipped(t, zeros, make([]byte, DefaultMaxBytes))), DecodeOptions{}, ErrListTooLarge},
		{"input too long", "u" + strings.Repeat("A", 3<<20), DecodeOptions{}, ErrListTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.encoded, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if errors.Is(err, ErrEncoding) && !errors.Is(err, vc.ErrMalformedValue) {
				t.Fatalf("an encoding error must be a MALFORMED_VALUE_ERROR: %v", err)
			}
		})
	}
}

func TestDecodeAcceptsMultipleMembers(t *testing.T) {
	half := make([]byte, MinBits/16)
	b, err := Decode(multibase(gzipped(t, half, append(half[:len(half)-1:len(half)-1], 0x01))), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Get(MinBits-1, 1); b.Len() != MinBits || v != 1 {
		t.Fatalf("two GZIP members (RFC 1952 §2.2) read as %d bits, last %d", b.Len(), v)
	}
}

func TestDecodeLimitIsInclusive(t *testing.T) {
	if _, err := Decode(multibase(gzipped(t, make([]byte, 32<<10))), DecodeOptions{MaxBytes: 32 << 10}); err != nil {
		t.Fatalf("a list of exactly MaxBytes was refused: %v", err)
	}
}
