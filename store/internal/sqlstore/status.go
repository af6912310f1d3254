package sqlstore

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

var (
	_ store.StatusTx     = tx{}
	_ store.StatusReader = reader{}
)

const listCols = `id, instance_id, purpose, url, seq, entries, status_size, capacity, allocated, version,
	created_at, updated_at`

// listAttempts bounds the rounds of ReserveStatusIndexes that claim nothing:
// each means that the current list filled up meanwhile, which concurrent
// allocators do at most a few times in a row.
const listAttempts = 8

// AllocateStatusIndex implements store.StatusTx: a reservation of one index,
// which the caller binds in the same transaction.
func (t tx) AllocateStatusIndex(ctx context.Context, spec store.StatusListSpec, rand io.Reader) (store.StatusEntry, error) {
	e, err := t.ReserveStatusIndexes(ctx, spec, 1, rand)
	if err != nil {
		return store.StatusEntry{}, err
	}
	return e[0], nil
}

// currentList returns the list of spec's instance and purpose with the highest
// seq, or one with seq 0 when there is none.
func (t tx) currentList(ctx context.Context, spec store.StatusListSpec) (store.StatusList, error) {
	l, err := scanList(t.q.QueryRow(ctx, `SELECT `+listCols+` FROM status_lists
		WHERE instance_id = $1 AND purpose = $2 ORDER BY seq DESC LIMIT 1`,
		spec.InstanceID, string(spec.Purpose)))
	if errors.Is(err, ErrNoRows) {
		return store.StatusList{}, nil
	}
	return l, wrap(err, "status list")
}

// startList records list number seq of spec's instance and purpose, unless
// another transaction did (then this one waits for it on PostgreSQL, and the
// caller reads that list).
func (t tx) startList(ctx context.Context, spec store.StatusListSpec, seq int64) error {
	var b [16]byte
	if _, err := io.ReadFull(t.d.Rand, b[:]); err != nil {
		return fmt.Errorf("store: naming status list: %w", err)
	}
	id := hex.EncodeToString(b[:])
	_, err := t.q.Exec(ctx, `INSERT INTO status_lists (id, instance_id, purpose, url, seq, entries,
			status_size, capacity, allocated, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9, $9) ON CONFLICT DO NOTHING`,
		id, spec.InstanceID, string(spec.Purpose), spec.URLPrefix+id, seq, spec.Entries, spec.StatusSize,
		spec.Capacity, t.d.Time(micro(spec.At)))
	if err != nil {
		return fmt.Errorf("store: starting status list: %w", err)
	}
	return nil
}

func (t tx) loadAllocated(ctx context.Context, listID string, into bitset) error {
	err := t.q.Query(ctx, `SELECT idx FROM status_entries WHERE list_id = $1`, []any{listID},
		func(row Row) error {
			var i int
			err := row.Scan(&i)
			if err == nil {
				into.set(i)
			}
			return err
		})
	return wrap(err, "allocated status indexes")
}

func (t tx) SetStatus(ctx context.Context, listID string, index int, value uint64, at time.Time) error {
	if at.IsZero() {
		return &store.FieldError{Field: "status time", Reason: "zero time"}
	}
	var (
		cur     int64
		purpose string
		size    int
	)
	err := t.q.QueryRow(ctx, `SELECT e.value, l.purpose, l.status_size FROM status_entries e
		JOIN status_lists l ON l.id = e.list_id WHERE e.list_id = $1 AND e.idx = $2`, listID, index).
		Scan(&cur, &purpose, &size)
	switch {
	case err != nil:
		return notFound(err, "status entry")
	case value>>size != 0:
		return &store.FieldError{Field: "status value", Reason: fmt.Sprintf("does not fit in %d bits", size)}
	case uint64(cur) == value:
		return nil
	}
	// Bitstring Status List v1.0 §2.1: revocation "is used to cancel the
	// validity of a verifiable credential. This status is not reversible." The
	// guard is evaluated under the entry's row lock, so a concurrent revocation
	// by another process is seen.
	reversible := status.Purpose(purpose) != status.Revocation
	n, err := t.q.Exec(ctx, `UPDATE status_entries SET value = $3 WHERE list_id = $1 AND idx = $2
		AND ($4 OR value = 0)`, listID, index, int64(value), reversible)
	if err == nil && n == 1 {
		_, err = t.q.Exec(ctx, `UPDATE status_lists SET version = version + 1, updated_at = $2 WHERE id = $1`,
			listID, t.d.Time(micro(at)))
	}
	return changed(n, err, "revocation is not reversible", "setting status")
}

func (r reader) StatusList(ctx context.Context, id string) (store.StatusList, error) {
	l, err := scanList(r.q.QueryRow(ctx, `SELECT `+listCols+` FROM status_lists WHERE id = $1`, id))
	if err != nil {
		return l, notFound(err, "status list")
	}
	if l.Bits, err = status.New(l.Entries * l.StatusSize); err != nil {
		return store.StatusList{}, fmt.Errorf("store: status list %s: %w", id, err)
	}
	err = r.q.Query(ctx, `SELECT idx, value FROM status_entries WHERE list_id = $1 AND value <> 0`,
		[]any{id}, func(row Row) error {
			var i int
			var v int64
			if err := row.Scan(&i, &v); err != nil {
				return err
			}
			return l.Bits.Set(i, l.StatusSize, uint64(v))
		})
	return l, wrap(err, "status list bits")
}

func (r reader) StatusLists(ctx context.Context, instanceID string) ([]store.StatusList, error) {
	var out []store.StatusList
	err := r.q.Query(ctx, `SELECT `+listCols+` FROM status_lists WHERE instance_id = $1 ORDER BY purpose, seq`,
		[]any{instanceID}, func(row Row) error {
			l, err := scanList(row)
			out = append(out, l)
			return err
		})
	return out, wrap(err, "status lists")
}

func (r reader) Status(ctx context.Context, listID string, index int) (uint64, error) {
	var v int64
	err := r.q.QueryRow(ctx, `SELECT value FROM status_entries WHERE list_id = $1 AND idx = $2`,
		listID, index).Scan(&v)
	return uint64(v), notFound(err, "status entry")
}

func scanList(row Row) (store.StatusList, error) {
	var (
		l       store.StatusList
		purpose string
	)
	err := row.Scan(&l.ID, &l.InstanceID, &purpose, &l.URL, &l.Seq, &l.Entries, &l.StatusSize, &l.Capacity,
		&l.Allocated, &l.Version, timeCol{&l.Created}, timeCol{&l.Updated})
	l.Purpose = status.Purpose(purpose)
	return l, err
}

// bitset is a set of indexes below a bound.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool { return b[i>>6]>>(i&63)&1 == 1 }

func (b bitset) set(i int) {
	if i >= 0 && i>>6 < len(b) {
		b[i>>6] |= 1 << (i & 63)
	}
}
