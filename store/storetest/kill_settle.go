package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A PostgreSQL server may still commit a transaction whose COMMIT a killed helper sent before
// it died: its backend finishes the statement before it notices the closed connection. The
// checks after a kill need the final state, so KillHelper names the helper's connections
// (application_name) and waits until the server has none left.

// tagHelperDSN returns dsn with an application_name that marks the helper's connections,
// and that name; a DSN that is not a PostgreSQL URL is returned as it is, with no name.
func tagHelperDSN(dsn string) (string, string) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return dsn, ""
	}
	name := fmt.Sprintf("kakunin-kill-helper-%d-%d", os.Getpid(), time.Now().UnixNano())
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String(), name
}

// settleHelper waits until the server holds no backend of the killed helper named name.
func settleHelper(t *testing.T, dsn, name string) {
	t.Helper()
	if name == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to wait for the killed helper's backends: %v", err)
	}
	defer conn.Close(context.Background())
	for {
		var n int
		err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", name).Scan(&n)
		switch {
		case err != nil:
			t.Fatalf("wait for the killed helper's backends: %v", err)
		case n == 0:
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("the killed helper still has %d backends", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
