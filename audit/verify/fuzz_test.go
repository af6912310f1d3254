package verify_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

// FuzzParseBundle checks that bundle parsing and verification never panic, and
// that an accepted bundle survives a JSON round trip unchanged in meaning.
func FuzzParseBundle(f *testing.F) {
	s := newLog(f, 5)
	for _, req := range []audit.ExportRequest{{}, {From: 2, To: 4}, {Since: 3}} {
		data, err := export(f, s, req).Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"checkpoint":"","from":0,"to":0,"entries":[]}`))
	v := verifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := verify.ParseBundle(data)
		if err != nil {
			return
		}
		again, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b2, err := verify.ParseBundle(again)
		if err != nil {
			t.Fatalf("re-encoded bundle does not parse: %v", err)
		}
		_, err1 := v.Verify(verify.State{}, b)
		_, err2 := v.Verify(verify.State{}, b2)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("verification changed after a round trip: %v / %v", err1, err2)
		}
	})
}

// FuzzOpen checks that checkpoint parsing never panics and that an accepted
// checkpoint is the one the note text states.
func FuzzOpen(f *testing.F) {
	s := newLog(f, 3)
	f.Add([]byte(export(f, s, audit.ExportRequest{}).Checkpoint))
	f.Add([]byte("kakunin.example/audit\n1\nAAAA\n\n— kakunin.example/audit AAAA\n"))
	v := verifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := v.Open(data)
		if err != nil {
			return
		}
		st, err := v.LoadState(data)
		if err != nil || st.Size() != c.Size || string(st.Root()) != string(c.Root) {
			t.Fatalf("LoadState disagrees with Open: %v", err)
		}
	})
}

func TestParseBundleRejects(t *testing.T) {
	good, err := export(t, newLog(t, 3), audit.ExportRequest{}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"not JSON":       "checkpoint",
		"unknown member": `{"extra":1,` + string(good[1:]),
		"trailing data":  string(good) + "{}",
		"short hash":     `{"checkpoint":"","from":0,"to":1,"entries":[{"index":0,"entry":"","proof":["AAAA"]}]}`,
		"huge":           string(make([]byte, verify.MaxBundleSize+1)),
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := verify.ParseBundle([]byte(input)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
