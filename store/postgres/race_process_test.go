package postgres_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

// TestRaceProcesses races reservations, allocations and credential records
// from two OS processes on one database, as two replicas are: no index is
// given out twice, and every credential is stored with its entries. It skips
// when KAKUNIN_TEST_POSTGRES is unset.
func TestRaceProcesses(t *testing.T) {
	storetest.RaceProcesses(t,
		func(t *testing.T) string { return freshSchema(t) },
		func(t *testing.T, dsn string) store.DB { return openDSN(t, dsn, postgres.Options{}) })
}
