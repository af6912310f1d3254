package sqlstore

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"golang.org/x/mod/sumdb/note"
)

func signedCheckpoint(tb testing.TB, size uint64) []byte {
	tb.Helper()
	s, err := audit.NewNoteSigner("kakunin.test/audit", ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		tb.Fatal(err)
	}
	signed, err := note.Sign(&note.Note{Text: audit.Checkpoint{Origin: "kakunin.test/audit", Size: size}.Text()}, s)
	if err != nil {
		tb.Fatal(err)
	}
	return signed
}

func TestCheckpointSize(t *testing.T) {
	tests := []struct {
		name string
		note []byte
		want uint64
		err  error
	}{
		{"signed note", signedCheckpoint(t, 20852163), 20852163, nil},
		{"no signature block", []byte("kakunin.test/audit\n1\n"), 0, store.ErrInvalid},
		{"not a checkpoint", []byte("hello\n\n— k AAAA\n"), 0, store.ErrInvalid},
		{"too long", make([]byte, audit.MaxNoteSize+1), 0, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkpointSize(tt.note)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("checkpointSize = %d, %v; want %d, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// FuzzCheckpointSize checks that reading the size of a note never panics and
// that a size is read only from a well-formed checkpoint body.
func FuzzCheckpointSize(f *testing.F) {
	f.Add(signedCheckpoint(f, 5))
	f.Add([]byte("o\n01\nAAAA\n\nx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		size, err := checkpointSize(data)
		if err != nil {
			return
		}
		text, _, _ := cutNote(data)
		c, perr := audit.ParseCheckpoint(text)
		if perr != nil || c.Size != size {
			t.Fatalf("checkpointSize(%q) = %d, but the body parses as %+v, %v", data, size, c, perr)
		}
	})
}
