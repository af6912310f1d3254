package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/sqlite"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestLinkTwoStores races links that would close a cycle from two stores on one
// file: exactly one of them must be refused.
func TestLinkTwoStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kakunin.db")
	storetest.RaceLinks(t, []store.DB{openPath(t, path, sqlite.Options{}), openPath(t, path, sqlite.Options{})}, 40)
}
