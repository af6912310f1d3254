package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

// FuzzDecode: no encodedList panics or inflates beyond the limit, every error is an *Error, and
// an accepted list re-encodes to a string that decodes to the same bits.
func FuzzDecode(f *testing.F) {
	f.Add(specEncodedList)
	f.Add(multibase(gzipped(f, make([]byte, MinBits/8))))
	f.Add(multibase(gzipped(f, make([]byte, 40<<10))))
	f.Add("u")
	f.Add("uH4sI")
	f.Add("zH4sIAAAAAAAAA")
	f.Fuzz(func(t *testing.T, encoded string) {
		opts := DecodeOptions{MaxBytes: 32 << 10}
		b, err := Decode(encoded, opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		if b.Len() < MinBits || b.Len() > 8*opts.MaxBytes {
			t.Fatalf("accepted a list of %d bits", b.Len())
		}
		back, err := Decode(b.Encode(), opts)
		if err != nil || !bytes.Equal(back.Bytes(), b.Bytes()) {
			t.Fatalf("re-encoding failed: %v", err)
		}
	})
}

// FuzzParseEntry: no credentialStatus object panics ParseEntry, and an accepted entry written
// back with Object parses to the same Entry.
func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(specMessageEntry))
	f.Add([]byte(`{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"0","statusListCredential":"https://e.example/l"}`))
	f.Add([]byte(`{"type":["BitstringStatusListEntry"],"statusPurpose":"x","statusListIndex":"007","statusListCredential":"did:e:1","statusSize":1,"statusMessage":[{"status":"0x1","message":""},{"status":"0x0","message":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			return
		}
		e, err := ParseEntry(m)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		obj, err := e.Object()
		if err != nil {
			t.Fatalf("an accepted entry cannot be written: %v", err)
		}
		back, err := ParseEntry(obj)
		if e.Size == 1 {
			e.Size = 0 // Object leaves out a statusSize of 1
		}
		if err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("round trip %+v, %v; want %+v", back, err, e)
		}
	})
}

// FuzzParseList: no credential panics ParseList, every error is an *Error, and an accepted list
// rebuilt with NewListCredential reads back with the same purposes, ttl and bits.
func FuzzParseList(f *testing.F) {
	f.Add([]byte(specListCredential))
	f.Add(listDoc(f, ListParams{ID: testListURL, Issuer: testIssuer, Purposes: []Purpose{Revocation, Message},
		ValidFrom: testNow, ValidUntil: testNow.Add(time.Hour), TTL: time.Minute}, mustNew(f, MinBits)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := vc.ParseCredential(data, vc.ParseOptions{MaxDepth: 16})
		if err != nil {
			return
		}
		l, err := ParseList(c, DecodeOptions{MaxBytes: 32 << 10})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		from, _ := c.ValidFrom()
		if from.IsZero() || !isURL(c.ID()) || !isURL(c.Issuer().ID) {
			return // NewListCredential requires what the Recommendation leaves optional
		}
		until, _ := c.ValidUntil()
		rebuilt, err := NewListCredential(ListParams{ID: c.ID(), Issuer: c.Issuer().ID, Purposes: l.Purposes,
			ValidFrom: from, ValidUntil: until, TTL: l.TTL}, l.Bits)
		if err != nil {
			return // e.g. a ttl below a millisecond, or times that truncate out of order
		}
		back, err := ParseList(rebuilt, DecodeOptions{MaxBytes: 32 << 10})
		if err != nil || !reflect.DeepEqual(back.Purposes, l.Purposes) || !bytes.Equal(back.Bits.Bytes(), l.Bits.Bytes()) {
			t.Fatalf("rebuilt list differs: %v", err)
		}
	})
}
