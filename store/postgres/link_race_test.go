package postgres_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestLinkReplicas races links that would close a cycle from two replicas with
// two writers each: the row locks Link takes must serialise them, so that
// exactly one is refused.
func TestLinkReplicas(t *testing.T) {
	dsn := freshSchema(t)
	opts := postgres.Options{Writers: 2}
	storetest.RaceLinks(t, []store.DB{openDSN(t, dsn, opts), openDSN(t, dsn, opts)}, 40)
}
