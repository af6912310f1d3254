package postgres_test

import (
	"testing"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
	"github.com/kakunin-dev/kakunin/store/storetest"
)

func TestCredentialConformance(t *testing.T) {
	storetest.RunCredentials(t, func(t *testing.T) store.DB {
		return openDSN(t, freshSchema(t), postgres.Options{})
	})
}

// TestCredentialReplicas races 128 issuances from two replicas (two pools, as
// two processes have) on lists of capacity 16: no index may be given out twice,
// and lists roll over exactly once each.
func TestCredentialReplicas(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []store.DB{openDSN(t, dsn, postgres.Options{}), openDSN(t, dsn, postgres.Options{})}
	storetest.RaceAllocations(t, replicas, 128, 16)
}

// TestReservationReplicas races 64 reservations of 10 status indexes from two
// replicas on lists of capacity 48, so that blocks straddle lists.
func TestReservationReplicas(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []store.DB{openDSN(t, dsn, postgres.Options{}), openDSN(t, dsn, postgres.Options{})}
	storetest.RaceReservations(t, replicas, 64, 48)
}

// TestCredentialDurability kills an issuing client process with SIGKILL at
// random moments: no acknowledged credential without its status entries, no
// entry bound twice, and no allocated entry outside a credential but the
// reservations the process held.
func TestCredentialDurability(t *testing.T) {
	storetest.IssuanceDurability(t,
		func(t *testing.T) string { return freshSchema(t) },
		func(t *testing.T, dsn string) store.DB { return openDSN(t, dsn, postgres.Options{}) })
}

func BenchmarkIssuance(b *testing.B) {
	storetest.BenchmarkIssuance(b, func(b *testing.B, maxBatch int) store.DB {
		return openDSN(b, freshSchema(b), postgres.Options{MaxBatch: maxBatch})
	})
}

// TestFenceReplicas races issuances to a subject against the cascade that
// fences it, from two replicas: the fence's row lock must order each issuance
// either before the cascade's read or after its commit (then it is refused).
func TestFenceReplicas(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []store.DB{openDSN(t, dsn, postgres.Options{}), openDSN(t, dsn, postgres.Options{})}
	storetest.RaceFence(t, replicas, 8)
}
