package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/audit/verify"
)

func TestExportRanges(t *testing.T) {
	ctx := context.Background()
	c := newCheckpointer(t, 1)
	if _, err := c.Export(ctx, new(memstore.Store), audit.ExportRequest{}); !errors.Is(err, audit.ErrOutOfRange) {
		t.Fatalf("export before any checkpoint: %v", err)
	}
	s := new(memstore.Store)
	appendN(t, s, 0, 6)
	if _, err := c.Sign(ctx, s); err != nil {
		t.Fatal(err)
	}
	appendN(t, s, 6, 2) // not yet checkpointed: never exported
	tests := []struct {
		name    string
		req     audit.ExportRequest
		entries int
		want    error
	}{
		{"whole checkpointed tree", audit.ExportRequest{}, 6, nil},
		{"range", audit.ExportRequest{From: 2, To: 4, Since: 3}, 2, nil},
		{"beyond checkpoint", audit.ExportRequest{To: 7}, 0, audit.ErrOutOfRange},
		{"backwards", audit.ExportRequest{From: 4, To: 2}, 0, audit.ErrOutOfRange},
		{"since beyond checkpoint", audit.ExportRequest{Since: 7}, 0, audit.ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := c.Export(ctx, s, tt.req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Export error = %v, want %v", err, tt.want)
			}
			if err == nil && (len(b.Entries) != tt.entries || (tt.req.Since > 0) != (b.Consistency != nil)) {
				t.Fatalf("Export = %d entries, consistency %v", len(b.Entries), b.Consistency)
			}
		})
	}
}

func TestExportIsBounded(t *testing.T) {
	ctx := context.Background()
	c := newCheckpointer(t, 1)
	s := new(memstore.Store)
	appendN(t, s, 0, verify.MaxBundleEntries+1)
	if _, err := c.Sign(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Export(ctx, s, audit.ExportRequest{}); !errors.Is(err, audit.ErrOutOfRange) {
		t.Fatalf("export of %d entries: %v", verify.MaxBundleEntries+1, err)
	}
	if _, err := c.Export(ctx, s, audit.ExportRequest{From: 1}); err != nil {
		t.Fatalf("export of %d entries: %v", verify.MaxBundleEntries, err)
	}
}
