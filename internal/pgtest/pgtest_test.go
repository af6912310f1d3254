package pgtest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestSchemaIsEmptyAndSelected(t *testing.T) {
	dsn := Schema(t, "kakunin_pgtest")
	if !strings.Contains(dsn, "search_path=kakunin_pgtest_") {
		t.Fatalf("DSN %s does not select the schema", dsn)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("fresh schema has %d tables", n)
	}
}
