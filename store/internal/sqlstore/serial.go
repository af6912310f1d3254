package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// serialAttempts bounds the draws of AllocateSerial. With 126 random bits a
// second draw is already astronomically unlikely; more than a few means the
// random source is broken.
const serialAttempts = 8

func (t tx) AllocateSerial(ctx context.Context, issuerID string, at time.Time) (*big.Int, error) {
	if at.IsZero() {
		return nil, &store.FieldError{Field: "allocation time", Reason: "zero time"}
	}
	if err := t.requireOwner(ctx, issuerID); err != nil {
		return nil, err
	}
	for range serialAttempts {
		s, err := randomSerial(t.d.Rand)
		if err != nil {
			return nil, err
		}
		// The primary key of serials makes a repeat impossible, also across
		// processes; a serial already on a recorded certificate is skipped too.
		n, err := t.reserve(ctx, issuerID, s, at)
		if err != nil {
			return nil, fmt.Errorf("store: allocating serial: %w", err)
		}
		if n == 1 {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: %d serial draws collided; the random source is not random",
		store.ErrConflict, serialAttempts)
}

func (t tx) reserve(ctx context.Context, issuerID string, s *big.Int, at time.Time) (int64, error) {
	var one int
	err := t.q.QueryRow(ctx, `SELECT 1 FROM certificates WHERE issuer_id = $1 AND serial = $2`,
		issuerID, serialArg(s)).Scan(&one)
	switch {
	case err == nil:
		return 0, nil
	case !errors.Is(err, ErrNoRows):
		return 0, err
	}
	return t.q.Exec(ctx, `INSERT INTO serials (issuer_id, serial, allocated_at) VALUES ($1, $2, $3)
		ON CONFLICT (issuer_id, serial) DO NOTHING`, issuerID, serialArg(s), t.d.Time(at))
}

// randomSerial returns a positive 16-octet serial: 126 random bits with the top
// bit clear (so the DER INTEGER is positive without a leading zero octet) and the
// next bit set (so every serial has the same length). RFC 5280 §4.1.2.2 allows up
// to 20 octets; CA/Browser Forum practice asks for at least 64 random bits.
func randomSerial(r io.Reader) (*big.Int, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("store: reading random serial: %w", err)
	}
	b[0] = b[0]&0x3f | 0x40
	return new(big.Int).SetBytes(b[:]), nil
}
