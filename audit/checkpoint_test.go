package audit_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestCheckpointTextRoundTrip(t *testing.T) {
	c := audit.Checkpoint{Origin: origin, Size: 20852163, Root: tlog.RecordHash([]byte("x")), Extensions: []string{"ext one"}}
	got, err := audit.ParseCheckpoint(c.Text())
	if err != nil || got.Origin != c.Origin || got.Size != c.Size || got.Root != c.Root || len(got.Extensions) != 1 {
		t.Fatalf("ParseCheckpoint(Text()) = %+v, %v", got, err)
	}
	// The example body of C2SP tlog-checkpoint.
	spec := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	c, err = audit.ParseCheckpoint(spec)
	if err != nil || c.Text() != spec {
		t.Fatalf("spec example: %+v, %v", c, err)
	}
}

func TestParseCheckpointRejects(t *testing.T) {
	root := "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
	tests := map[string]string{
		"two lines":         "o\n1\n",
		"no final newline":  "o\n1\n" + root,
		"empty origin":      "\n1\n" + root + "\n",
		"leading zero":      "o\n01\n" + root + "\n",
		"signed size":       "o\n+1\n" + root + "\n",
		"negative size":     "o\n-1\n" + root + "\n",
		"huge size":         "o\n99999999999999999999\n" + root + "\n",
		"short root":        "o\n1\nAAAA\n",
		"unpadded root":     "o\n1\n" + strings.TrimSuffix(root, "=") + "\n",
		"url-safe root":     "o\n1\n" + strings.ReplaceAll(root, "/", "_") + "\n",
		"empty extension":   "o\n1\n" + root + "\n\n",
		"extension then \n": "o\n1\n" + root + "\nx\n\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := audit.ParseCheckpoint(text); !errors.Is(err, audit.ErrMalformedCheckpoint) {
				t.Fatalf("error = %v, want ErrMalformedCheckpoint", err)
			}
		})
	}
}

// TestNoteSignerMatchesSumdbNote checks the crypto.Signer wrapper against
// sumdb/note's own Ed25519 signer: same key ID, byte-identical signed notes.
func TestNoteSignerMatchesSumdbNote(t *testing.T) {
	key := testKey(7)
	ours, err := audit.NewNoteSigner(origin, key)
	if err != nil {
		t.Fatal(err)
	}
	skey := "PRIVATE+KEY+" + origin + "+" + keyHashHex(t, key) + "+" + b64(append([]byte{1}, key.Seed()...))
	theirs, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	text := &note.Note{Text: "kakunin.example/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"}
	a, errA := note.Sign(text, ours)
	b, errB := note.Sign(text, theirs)
	if errA != nil || errB != nil || string(a) != string(b) {
		t.Fatalf("signed notes differ:\n%s\n%s\n%v %v", a, b, errA, errB)
	}
}

func keyHashHex(t *testing.T, key ed25519.PrivateKey) string {
	vkey, err := audit.VerifierKey(origin, key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(vkey, "+")[1]
}

func TestNewNoteSignerRejectsOtherKeys(t *testing.T) {
	if _, err := audit.NewNoteSigner(origin, notEd25519{}); !errors.Is(err, audit.ErrUnsupportedKey) {
		t.Fatalf("error = %v, want ErrUnsupportedKey", err)
	}
	for _, name := range []string{"", "has space", "a+b", "tab\there", "nbsp\u00a0"} {
		if _, err := audit.NewCheckpointer(name, testKey(1)); !errors.Is(err, audit.ErrInvalidOrigin) {
			t.Errorf("origin %q: error = %v, want ErrInvalidOrigin", name, err)
		}
	}
}

func TestOpenCheckpoint(t *testing.T) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(t, s, 0, 5)
	c := newCheckpointer(t, 1)
	signed, err := c.Sign(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := note.NewVerifier(c.VerifierKey())
	other, _ := note.NewVerifier(newCheckpointer(t, 2).VerifierKey())
	flipped := []byte(strings.Replace(string(signed), "\n5\n", "\n4\n", 1))
	tests := []struct {
		name   string
		signed []byte
		origin string
		v      note.Verifier
		want   error
	}{
		{"valid", signed, origin, own, nil},
		{"other key", signed, origin, other, audit.ErrBadSignature},
		{"changed size", flipped, origin, own, audit.ErrBadSignature},
		{"other origin", signed, "other.example/log", own, audit.ErrMalformedCheckpoint},
		{"no signatures", []byte(strings.Split(string(signed), "\n\n")[0] + "\n"), origin, own, audit.ErrMalformedCheckpoint},
		{"too large", make([]byte, audit.MaxNoteSize+1), origin, own, audit.ErrMalformedCheckpoint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp, err := audit.OpenCheckpoint(tt.signed, tt.origin, tt.v)
			if !errors.Is(err, tt.want) || (err == nil && cp.Size != 5) {
				t.Fatalf("OpenCheckpoint = %+v, %v; want %v", cp, err, tt.want)
			}
		})
	}
}

// FuzzOpenCheckpoint checks that checkpoint and note parsing never panics and
// that every accepted checkpoint re-encodes to the signed text.
func FuzzOpenCheckpoint(f *testing.F) {
	ctx := context.Background()
	s := new(memstore.Store)
	appendN(f, s, 0, 3)
	c := newCheckpointer(f, 1)
	signed, err := c.Sign(ctx, s)
	if err != nil {
		f.Fatal(err)
	}
	v, _ := note.NewVerifier(c.VerifierKey())
	f.Add(signed)
	f.Add([]byte("o\n1\nAAAA\n\n— o AAAA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if cp, err := audit.ParseCheckpoint(string(data)); err == nil && cp.Text() != string(data) {
			t.Fatalf("ParseCheckpoint(%q).Text() = %q", data, cp.Text())
		}
		cp, err := audit.OpenCheckpoint(data, origin, v)
		if err != nil {
			return
		}
		if !strings.HasPrefix(string(data), cp.Text()+"\n") {
			t.Fatalf("accepted note %q does not start with %q", data, cp.Text())
		}
	})
}
