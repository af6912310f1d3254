package main

import (
	"testing"

	"github.com/kakunin-dev/kakunin/internal/pgtest"
)

// TestServePostgres runs the end-to-end test on PostgreSQL, in a fresh schema of
// the server that KAKUNIN_TEST_POSTGRES names (skipped when it is unset).
func TestServePostgres(t *testing.T) {
	testServe(t, t.TempDir(), freshSchema(t))
}

func freshSchema(t *testing.T) string {
	t.Helper()
	return pgtest.Schema(t, "kakunin_serve")
}
