package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/kakunin-dev/kakunin/store"
)

func testCRL(t *testing.T, db store.DB) {
	setup(t, db)
	_, err := db.CRL(ctx, "o1")
	wantErr(t, err, store.ErrNotFound)
	put := func(issuer string, number int64) error {
		return db.Tx(ctx, func(tx store.Tx) error {
			return tx.PutCRL(ctx, store.CRL{IssuerID: issuer, Number: number, ThisUpdate: at(int(number)),
				NextUpdate: at(int(number) + 60), DER: []byte(fmt.Sprintf("crl-%d", number))})
		})
	}
	tests := []struct {
		name   string
		issuer string
		number int64
		want   error
	}{
		{"first", "o1", 1, nil},
		{"next", "o1", 2, nil},
		{"skip ahead", "o1", 10, nil},
		{"same number", "o1", 10, store.ErrConflict},
		{"going back", "o1", 3, store.ErrConflict},
		{"unknown issuer", "nobody", 1, store.ErrNotFound},
		{"negative", "o1", -1, store.ErrInvalid},
	}
	for _, tc := range tests {
		if err := put(tc.issuer, tc.number); !errors.Is(err, tc.want) {
			t.Fatalf("%s: PutCRL(%d) = %v, want %v", tc.name, tc.number, err, tc.want)
		}
	}
	got, err := db.CRL(ctx, "o1")
	if err != nil || got.Number != 10 || string(got.DER) != "crl-10" || !got.ThisUpdate.Equal(micro(at(10))) ||
		!got.NextUpdate.Equal(micro(at(70))) {
		t.Errorf("CRL = %+v, %v; want number 10", got, err)
	}
}

func testSerials(t *testing.T, db store.DB) {
	setup(t, db)
	const n = 64
	serials := make(chan *big.Int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			var s *big.Int
			err := db.Tx(ctx, func(tx store.Tx) (err error) {
				s, err = tx.AllocateSerial(ctx, "o1", t0)
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
			serials <- s
		})
	}
	wg.Wait()
	close(serials)
	seen := map[string]bool{}
	for s := range serials {
		if s.Sign() <= 0 || len(s.Bytes()) != 16 {
			t.Errorf("serial %x is not a positive 16-octet integer", s)
		}
		if seen[s.String()] {
			t.Errorf("serial %x allocated twice", s)
		}
		seen[s.String()] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct serials, want %d", len(seen), n)
	}
	err := db.Tx(ctx, func(tx store.Tx) error { _, err := tx.AllocateSerial(ctx, "nobody", t0); return err })
	wantErr(t, err, store.ErrNotFound)
}

func testAtomicity(t *testing.T, db store.DB) {
	setup(t, db)
	errAbort := errors.New("abort")
	err := db.Tx(ctx, func(tx store.Tx) error {
		if err := tx.PutCertificate(ctx, cert("o1", 1, "did:a")); err != nil {
			return err
		}
		if _, err := tx.Certificate(ctx, "o1", big.NewInt(1)); err != nil {
			return fmt.Errorf("a transaction must read its own write: %w", err)
		}
		return errAbort
	})
	wantErr(t, err, errAbort)
	_, err = db.Certificate(ctx, "o1", big.NewInt(1))
	wantErr(t, err, store.ErrNotFound)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	err = db.Tx(cancelled, func(tx store.Tx) error { return tx.PutCertificate(ctx, cert("o1", 2, "did:a")) })
	wantErr(t, err, context.Canceled)
}

// testBatchIsolation sends concurrent transactions of which every fourth fails
// after writing: the others must all be committed, the failed ones leave nothing.
func testBatchIsolation(t *testing.T, db store.DB) {
	setup(t, db)
	const n = 80
	var wg sync.WaitGroup
	for i := range int64(n) {
		wg.Go(func() {
			err := db.Tx(ctx, func(tx store.Tx) error {
				if err := tx.PutCertificate(ctx, cert("o1", i+1, "did:a")); err != nil {
					return err
				}
				if i%4 == 3 {
					return tx.CreateOwner(ctx, owner("o1")) // conflicts
				}
				return nil
			})
			if fail := i%4 == 3; fail != errors.Is(err, store.ErrConflict) || !fail && err != nil {
				t.Errorf("transaction %d: error %v", i, err)
			}
		})
	}
	wg.Wait()
	list, err := db.CertificatesByDID(ctx, "did:a")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n-n/4 {
		t.Errorf("%d certificates committed, want %d", len(list), n-n/4)
	}
	for _, c := range list {
		if c.Serial.Int64()%4 == 0 {
			t.Errorf("certificate %d of a failed transaction was committed", c.Serial.Int64())
		}
	}
}

func testClosed(t *testing.T, db store.DB) {
	setup(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err := db.Tx(ctx, func(tx store.Tx) error { return nil })
	wantErr(t, err, store.ErrClosed)
	if err := db.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}
