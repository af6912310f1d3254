package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// DefaultMaxBytes is the default bound on a decoded status list: 1 MiB, 8,388,608 entries of
// one bit, 64 times the minimum.
const DefaultMaxBytes = 1 << 20

// DecodeOptions bound [Decode]. The zero value is safe.
type DecodeOptions struct {
	// MaxBytes is the largest accepted uncompressed list, in bytes; zero means
	// DefaultMaxBytes. A GZIP stream that inflates beyond it is refused as soon as the limit is
	// crossed, so a small encodedList cannot expand into a large allocation.
	MaxBytes int
}

func (o DecodeOptions) maxBytes() int {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Encode returns the encodedList value of b (§3.3, Bitstring Generation Algorithm): the GZIP
// compression [RFC 1952] of the bitstring, base64url-encoded without padding [RFC 4648 §5] and
// multibase-prefixed with "u". The output is deterministic (no name, a zero modification time,
// the default DEFLATE level, which on status lists is within about 10% of the best level's size
// at a small fraction of its time), but GZIP encoders differ, so it need not equal another
// implementation's string for the same bits; only the decoded bits are meaningful.
func (b *Bitstring) Encode() string {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	// Writes to a bytes.Buffer cannot fail, so neither can Write nor Close.
	_, _ = zw.Write(b.bits)
	_ = zw.Close()
	out := make([]byte, 1+base64.RawURLEncoding.EncodedLen(buf.Len()))
	out[0] = 'u'
	base64.RawURLEncoding.Encode(out[1:], buf.Bytes())
	return string(out)
}

// gzipWriters and gzipReaders keep compressors (about a megabyte of state each) and
// decompressors (about 40 KB) for reuse.
var (
	gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}
	gzipReaders sync.Pool
)

// Decode expands an encodedList value (§3.4, Bitstring Expansion Algorithm). It fails with an
// [*Error] of type MalformedValueError wrapping [ErrEncoding] when the value is not a "u"
// multibase string of unpadded base64url holding a valid GZIP stream (checksum included);
// of type VerificationError wrapping [ErrListTooLarge] when the list inflates beyond
// opts.MaxBytes; and of type ListLengthError wrapping [ErrListTooShort] when it is shorter than
// [MinBits] (§2.2: "The uncompressed bitstring MUST be at least 16KB in size").
func Decode(encodedList string, opts DecodeOptions) (*Bitstring, error) {
	limit := opts.maxBytes()
	compressed, err := decodeMultibase(encodedList, limit)
	if err != nil {
		return nil, err
	}
	bits, err := gunzip(compressed, limit)
	if err != nil {
		return nil, err
	}
	if len(bits)*8 < MinBits {
		return nil, newError(ListLengthError, "", ErrListTooShort, fmt.Sprintf("%d bits, at least %d required", len(bits)*8, MinBits))
	}
	return &Bitstring{bits: bits}, nil
}

// decodeMultibase checks the "u" prefix and the base64url alphabet (the standard decoder would
// skip CR and LF) and decodes. A GZIP stream of limit bytes is never much longer than limit
// (stored blocks add 5 bytes in 65,535), which bounds the accepted input.
func decodeMultibase(s string, limit int) ([]byte, error) {
	if len(s) == 0 || s[0] != 'u' {
		return nil, newError(MalformedValueError, "", ErrEncoding, "encodedList must be multibase base64url, starting with u")
	}
	s = s[1:]
	if len(s) > base64.RawURLEncoding.EncodedLen(limit+limit/1024+1024) {
		return nil, newError(VerificationError, "", ErrListTooLarge, fmt.Sprintf("encodedList of %d characters", len(s)))
	}
	for i := 0; i < len(s); i++ {
		if !isBase64URL(s[i]) {
			return nil, newError(MalformedValueError, "", ErrEncoding, fmt.Sprintf("byte %#x at offset %d is not base64url without padding", s[i], i+1))
		}
	}
	out, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, newError(MalformedValueError, "", ErrEncoding, err.Error())
	}
	return out, nil
}

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// gunzip inflates data, reading at most limit+1 bytes so that a decompression bomb stops at
// the limit.
func gunzip(data []byte, limit int) ([]byte, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	defer gzipReaders.Put(zr)
	if err := zr.Reset(bytes.NewReader(data)); err != nil {
		return nil, newError(MalformedValueError, "", ErrEncoding, "not GZIP data: "+err.Error())
	}
	var out bytes.Buffer
	out.Grow(sizeHint(data, limit))
	n, err := out.ReadFrom(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, newError(MalformedValueError, "", ErrEncoding, "invalid GZIP data: "+err.Error())
	}
	if n > int64(limit) {
		return nil, newError(VerificationError, "", ErrListTooLarge, fmt.Sprintf("the list inflates beyond %d bytes", limit))
	}
	return out.Bytes(), nil
}

// sizeHint is the uncompressed size that the GZIP trailer claims (ISIZE, RFC 1952 §2.3.1),
// capped at limit: untrusted, it only sizes the first allocation.
func sizeHint(data []byte, limit int) int {
	if len(data) < 18 {
		return 0
	}
	return int(min(uint64(binary.LittleEndian.Uint32(data[len(data)-4:])), uint64(limit)+1))
}
