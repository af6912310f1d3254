package did_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
)

// specExampleDocument is the did:kakunin document of spec/did-kakunin.md §9.3, which
// kakunin's tests check is byte for byte what DeriveDocument makes of one certificate.
func specExampleDocument(t *testing.T) *did.Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "spec", "did-kakunin.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "```json\n{\n  \"id\"")
	body, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no document example in the spec")
	}
	doc, err := did.ParseDocument([]byte("{\n  \"id\"" + body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestHasAssertionMethod(t *testing.T) {
	owner := ed25519.NewKeyFromSeed(make([]byte, 32)).Public()
	id, err := kakunin.New(kakunin.Digest{}, kakunin.Digest{}, owner)
	if err != nil {
		t.Fatal(err)
	}
	noCert, err := kakunin.DeriveDocument(id, nil, kakunin.DocumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(noCert.VerificationMethod) == 0 {
		t.Fatal("a did:kakunin document without certificates lists no #owner any more; the test needs it")
	}
	vm, err := did.NewMultikeyMethod("did:example:1#k", "did:example:1", owner)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  *did.Document
		want bool
	}{
		{"did:kakunin with one certificate (spec §9.3)", specExampleDocument(t), true},
		{"did:kakunin with no valid certificate: #owner only", noCert, false},
		{"reference", &did.Document{ID: "did:example:1", VerificationMethod: []did.VerificationMethod{vm},
			AssertionMethod: []did.MethodRef{{Ref: "#k"}}}, true},
		{"embedded", &did.Document{ID: "did:example:1", AssertionMethod: []did.MethodRef{{Embedded: &vm}}}, true},
		{"dangling reference", &did.Document{ID: "did:example:1", AssertionMethod: []did.MethodRef{{Ref: "#k"}}}, false},
		{"authentication only", &did.Document{ID: "did:example:1", VerificationMethod: []did.VerificationMethod{vm},
			Authentication: []did.MethodRef{{Ref: "#k"}}}, false},
		{"empty", &did.Document{ID: "did:example:1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.doc.HasAssertionMethod(); got != tt.want {
				t.Errorf("HasAssertionMethod() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIsUnresolvable(t *testing.T) {
	_, parseErr := did.Parse("did:Example:1")
	tests := []struct {
		err  error
		want bool
	}{
		{parseErr, true},
		{fmt.Errorf("x: %w", did.ErrNotFound), true},
		{did.ErrMethodNotSupported, true},
		{did.ErrInvalidDIDURL, true},
		{did.ErrInvalidDocument, true},
		{did.ErrInternal, false},
		{did.ErrDeactivated, false},
		{did.ErrInvalidOptions, false},
		{errors.New("store: connection refused"), false},
		{context.DeadlineExceeded, false},
		{fmt.Errorf("%w: unreachable: %w", did.ErrNotFound, context.DeadlineExceeded), false},
		{fmt.Errorf("%w: %w", did.ErrNotFound, context.Canceled), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := did.IsUnresolvable(tt.err); got != tt.want {
			t.Errorf("IsUnresolvable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
