package dataintegrity

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kakunin-dev/kakunin/did/key"
	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

// TestVerifyObject: VerifyObject gives Verify's result on the decoded document, for a good
// and a tampered credential, and leaves the document as it was.
func TestVerifyObject(t *testing.T) {
	k := newTestKey(t, nil)
	proc := testProcessor(t)
	signed, err := AddProof(mustJSON(t, credential(t, k)), k.signer,
		ProofOptions{Cryptosuite: EdDSARDFC2022, VerificationMethod: k.vm, Created: testNow, JSONLD: proc})
	if err != nil {
		t.Fatal(err)
	}
	tampered := decodeJSON(t, signed)
	tampered["name"] = "Another scope"
	opts := VerifyOptions{Resolver: key.Resolver{}, JSONLD: proc, Now: testNow}
	for name, raw := range map[string][]byte{"signed": signed, "tampered": mustJSON(t, tampered)} {
		t.Run(name, func(t *testing.T) {
			v, err := jsonin.Decode(raw, jsonin.Options{})
			if err != nil {
				t.Fatal(err)
			}
			doc := v.(map[string]any)
			before := decodeJSON(t, raw)
			_, want := Verify(context.Background(), raw, opts)
			_, got := VerifyObject(context.Background(), doc, opts)
			if (got == nil) != (want == nil) || got != nil && !errors.Is(got, ErrInvalidSignature) {
				t.Errorf("VerifyObject: %v, Verify: %v", got, want)
			}
			if (name == "signed") != (got == nil) {
				t.Errorf("%s credential: %v", name, got)
			}
			if !reflect.DeepEqual(normalized(t, doc), before) {
				t.Error("VerifyObject modified the document")
			}
		})
	}
}

// normalized re-decodes a jsonin document the way decodeJSON decodes, for comparison.
func normalized(t *testing.T, doc map[string]any) map[string]any {
	return decodeJSON(t, mustJSON(t, doc))
}

func TestRefusedSlot(t *testing.T) {
	tests := []struct {
		err  string
		slot int
		ok   bool
	}{
		{`jsonld: data would be dropped: relative or invalid @id reference "kkslot2x"`, 2, true},
		{`bad value "https://kkslot17x" here`, 17, true},
		{`no marker here`, 0, false},
		{`truncated kkslot`, 0, false},
		{`kkslotx`, 0, false},
		{`kkslot1a2x`, 0, false},
	}
	for _, tt := range tests {
		i, ok := refusedSlot(errors.New(tt.err))
		if i != tt.slot || ok != tt.ok {
			t.Errorf("refusedSlot(%q) = %d, %v, want %d, %v", tt.err, i, ok, tt.slot, tt.ok)
		}
	}
}
