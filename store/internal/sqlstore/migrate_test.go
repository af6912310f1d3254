package sqlstore

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/kakunin-dev/kakunin/store"
)

func TestLoadMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int64
		wantErr error
	}{
		{"ordered by number", fstest.MapFS{
			"m/0010_audit.sql": file("B"), "m/0002_status.sql": file("A"), "m/README.md": file("x"),
		}, []int64{2, 10}, nil},
		{"duplicate number", fstest.MapFS{"m/0001_a.sql": file(""), "m/1_b.sql": file("")}, nil, store.ErrSchema},
		{"no name", fstest.MapFS{"m/0001.sql": file("")}, nil, store.ErrSchema},
		{"zero", fstest.MapFS{"m/0000_x.sql": file("")}, nil, store.ErrSchema},
		{"not a number", fstest.MapFS{"m/first_x.sql": file("")}, nil, store.ErrSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := LoadMigrations(tc.files, "m")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("LoadMigrations = %v, want %v", err, tc.wantErr)
			}
			if len(ms) != len(tc.want) {
				t.Fatalf("got %d migrations, want %d", len(ms), len(tc.want))
			}
			for i, m := range ms {
				if m.Version != tc.want[i] {
					t.Errorf("migration %d has version %d, want %d", i, m.Version, tc.want[i])
				}
			}
		})
	}
}
