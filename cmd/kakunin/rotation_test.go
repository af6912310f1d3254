package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/store/backend"
	"github.com/kakunin-dev/kakunin/vc/issuer"
)

func TestRecordIssuerKeysSQLite(t *testing.T) {
	testRecordIssuerKeys(t, filepath.Join(t.TempDir(), "kakunin.db"))
}

func TestRecordIssuerKeysPostgres(t *testing.T) {
	testRecordIssuerKeys(t, freshSchema(t))
}

// testRecordIssuerKeys: replicas starting together with one key record it once; a new key is
// recorded once more; going back to the first key, which is no longer the last recorded, is
// recorded again.
func testRecordIssuerKeys(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	instance := func() *issuer.Instance {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return &issuer.Instance{Name: "default", DID: "did:web:id.example.com", VerificationMethod: "did:web:id.example.com#k", Signer: k}
	}
	a, b := instance(), instance()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for range 4 {
		wg.Go(func() {
			names, err := recordIssuerKeys(ctx, db, []*issuer.Instance{a}, now)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += len(names)
			mu.Unlock()
		})
	}
	wg.Wait()
	steps := []struct {
		in   *issuer.Instance
		want int // entries recorded by this step
	}{{a, 0}, {b, 1}, {b, 0}, {a, 1}}
	for i, s := range steps {
		names, err := recordIssuerKeys(ctx, db, []*issuer.Instance{s.in}, now)
		if err != nil || len(names) != s.want {
			t.Errorf("step %d: recorded %v (%v), want %d", i, names, err, s.want)
		}
	}
	recs, err := audit.EntriesForDID(ctx, db.(store.AuditDB), "did:web:id.example.com", 0, 0)
	if err != nil || total != 1 || len(recs) != 3 {
		t.Fatalf("4 concurrent starts recorded %d; log holds %d entries (%v), want 1 and 3", total, len(recs), err)
	}
	for _, r := range recs {
		if r.Entry.Type != audit.IssuerKeyRotated || r.Entry.Tenant != "system" || r.Entry.Actor != "system" {
			t.Errorf("entry %+v", r.Entry)
		}
	}
}

func TestRecordIssuerKeysMethodSQLite(t *testing.T) {
	testRecordIssuerKeysMethod(t, filepath.Join(t.TempDir(), "kakunin.db"))
}

func TestRecordIssuerKeysMethodPostgres(t *testing.T) {
	testRecordIssuerKeysMethod(t, freshSchema(t))
}

// testRecordIssuerKeysMethod: the rotation decision depends on the DID and the public key,
// not on the verification method, which a did:kakunin instance changes at each renewal of
// its certificate. An entry of the former record (which named the instance's method at
// start) names the same key when its method is the instance's, or, for a did:kakunin
// instance, one of the two methods of a certificate the registry holds for the agent.
func testRecordIssuerKeysMethod(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, p := sha256.Sum256([]byte("model")), sha256.Sum256([]byte("prompt"))
	owner, _ := did.EncodeMultikey(ed25519.NewKeyFromSeed(make([]byte, 32)).Public())
	agent := "did:kakunin:" + hex.EncodeToString(m[:]) + ":" + hex.EncodeToString(p[:]) + ":" + owner
	web := "did:web:id.example.com"
	method := func(der string) string { // #cert-T: T the base64url SHA-256 of the DER
		sum := sha256.Sum256([]byte(der))
		return agent + "#cert-" + base64.RawURLEncoding.EncodeToString(sum[:])
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	err = db.Tx(ctx, func(tx store.Tx) error { // certificates A and B of the agent: A expired
		if err := tx.CreateOwner(ctx, store.Owner{ID: "o1", OwnerKey: owner, CertDER: []byte("ca"), TenantID: "t", Created: now}); err != nil {
			return err
		}
		for i, der := range []string{"cert-A", "cert-B"} {
			nb := now.Add(time.Duration(i-3) * 24 * time.Hour)
			c := store.Certificate{IssuerID: "o1", Serial: big.NewInt(int64(i + 1)), DID: agent, DER: []byte(der),
				NotBefore: nb, NotAfter: nb.Add(48 * time.Hour)}
			if err := tx.PutCertificate(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32))
	mk := func(k ed25519.PrivateKey) string { s, _ := did.EncodeMultikey(k.Public()); return s }
	steps := []struct {
		name   string
		former string // when set, a former record of k1 under this method is appended first
		id     string // the instance's DID
		key    ed25519.PrivateKey
		vm     string
		want   int // entries recorded by this step
	}{
		{"upgrade: former record with the JsonWebKey method of an expired certificate", method("cert-A"), agent, k1, method("cert-B") + "-multikey", 0},
		{"upgrade: former record with a method of no certificate of the agent", agent + "#cert-Z", agent, k1, method("cert-B") + "-multikey", 1},
		{"same key, another method", "", agent, k1, method("cert-A") + "-multikey", 0},
		{"same key, a method of no recorded certificate", "", agent, k1, agent + "#cert-C-multikey", 0},
		{"another key", "", agent, k2, method("cert-B") + "-multikey", 1},
		{"that key, another method", "", agent, k2, agent + "#cert-D-multikey", 0},
		{"upgrade: former record of k1 with the Multikey method, k1", method("cert-B") + "-multikey", agent, k1, agent + "#x", 0},
		{"did:web upgrade, same key", web + "#" + mk(k1), web, k1, web + "#" + mk(k1), 0},
		{"did:web upgrade, another key", web + "#" + mk(k1), web, k2, web + "#" + mk(k2), 1},
	}
	for _, s := range steps {
		if s.former != "" {
			appendFormerKeyRecord(t, db, s.id, s.former, mk(k1), now)
		}
		in := &issuer.Instance{Name: "default", DID: s.id, VerificationMethod: s.vm, Signer: s.key}
		names, err := recordIssuerKeys(ctx, db, []*issuer.Instance{in}, now)
		if err != nil || len(names) != s.want {
			t.Errorf("%s: recorded %v (%v), want %d", s.name, names, err, s.want)
		}
	}
	// The entry digests the DID and the key, for an auditor to recompute.
	last, err := lastKeyDigest(ctx, db.(store.AuditDB), web)
	want := audit.SHA256([]byte(`{"did":"` + web + `","publicKeyMultibase":"` + mk(k2) + `"}`))
	if err != nil || last != want {
		t.Errorf("last entry of %s digests %s (%v), want %s", web, last, err, want)
	}
}

// appendFormerKeyRecord appends an issuer.key.rotated entry of the record before the
// verification method was left out, as the instance "default" wrote it.
func appendFormerKeyRecord(t *testing.T, db store.DB, id, vm, mk string, now time.Time) {
	t.Helper()
	data := fmt.Sprintf(`{"instance":"default","did":%q,"verificationMethod":%q,"publicKeyMultibase":%q}`, id, vm, mk)
	e := audit.Entry{Type: audit.IssuerKeyRotated, Time: now, Actor: "system", Tenant: "system", Subject: id, Digest: audit.SHA256([]byte(data))}
	err := db.Tx(context.Background(), func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		_, err = audit.Append(context.Background(), atx, e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
