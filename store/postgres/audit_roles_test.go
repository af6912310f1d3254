package postgres_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/postgres"
)

// TestAuditServiceRole sets up the roles that migration 0002 documents: the
// tables are owned by the migrating role and the service connects as a role
// with only the documented grants. The service logs and signs as usual, but
// cannot change the log, nor drop or disable the triggers that guard it.
func TestAuditServiceRole(t *testing.T) {
	ownerDSN := freshSchema(t)
	openDSN(t, ownerDSN, postgres.Options{}) // migrates as the owner
	appDSN := serviceRole(t, ownerDSN)
	ctx := context.Background()
	db := openDSN(t, appDSN, postgres.Options{})
	c, err := audit.NewCheckpointer("kakunin.test/audit", ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		e := audit.Entry{Type: audit.OwnerCreated, Time: time.Unix(1, 0), Actor: "system", Tenant: "t",
			Digest: audit.SHA256([]byte("o1"))}
		if _, err := audit.Append(ctx, atx, e); err != nil {
			return err
		}
		_, err = c.Sign(ctx, atx)
		return err
	})
	if err != nil {
		t.Fatalf("the service role cannot log: %v", err)
	}
	conn, err := pgx.Connect(ctx, appDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`UPDATE audit_entries SET entry = entry`,
		`DELETE FROM audit_hashes`,
		`TRUNCATE audit_checkpoints`,
		`DROP TRIGGER audit_entries_worm ON audit_entries`,
		`ALTER TABLE audit_entries DISABLE TRIGGER ALL`,
		`DROP TABLE audit_entries`,
	} {
		_, err := conn.Exec(ctx, q)
		var pg *pgconn.PgError
		if !errors.As(err, &pg) || pg.Code != "42501" {
			t.Errorf("%s as the service role: %v, want insufficient_privilege (42501)", q, err)
		}
	}
}

// serviceRole creates a login role with the grants of migration 0002's
// comment on the schema of ownerDSN, and returns a DSN that connects as it.
func serviceRole(t *testing.T, ownerDSN string) string {
	t.Helper()
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	role := "kakunin_app_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE ROLE ` + role + ` LOGIN`,
		`GRANT USAGE, CREATE ON SCHEMA ` + schema + ` TO ` + role,
		`GRANT SELECT ON schema_migrations TO ` + role,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON owners, serials, certificates, dids, did_events, crls TO ` + role,
		`GRANT SELECT, UPDATE ON audit_tree TO ` + role,
		`GRANT SELECT, INSERT ON audit_entries, audit_hashes, audit_checkpoints TO ` + role,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, ownerDSN)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		for _, q := range []string{`DROP OWNED BY ` + role, `DROP ROLE ` + role} {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	u, err := url.Parse(ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}
