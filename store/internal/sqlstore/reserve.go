package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// ReserveStatusIndexes implements store.StatusTx: it counts the indexes
// against the current list's capacity (one statement), draws them and inserts
// them in one statement, and repeats for the indexes that were taken or did
// not fit in the list.
func (t tx) ReserveStatusIndexes(ctx context.Context, spec store.StatusListSpec, n int,
	rand io.Reader) ([]store.StatusEntry, error) {
	spec = spec.WithDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if n < 1 || n > store.MaxStatusReserve {
		return nil, &store.FieldError{Field: "status indexes reserved", Reason: "not between 1 and 1,024"}
	}
	out := make([]store.StatusEntry, 0, n)
	fits := n // at most what the current list was last seen to have left
	for misses := 0; len(out) < n; {
		k := min(n-len(out), fits)
		l, err := t.countIndexes(ctx, spec, k)
		if err == nil {
			idx, err := t.claimIndexes(ctx, l, k, spec.At, rand)
			if err != nil {
				return nil, err
			}
			for _, i := range idx {
				out = append(out, store.StatusEntry{ListID: l.ID, Index: i, Purpose: l.Purpose, URL: l.URL,
					StatusSize: l.StatusSize})
			}
			fits, misses = n, 0
			continue
		}
		if !errors.Is(err, ErrNoRows) {
			return nil, fmt.Errorf("store: allocating status indexes: %w", err)
		}
		if misses++; misses > listAttempts {
			return nil, fmt.Errorf("%w: status lists of %s filled up while allocating", store.ErrConflict,
				spec.InstanceID)
		}
		if fits, err = t.nextList(ctx, spec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nextList is called when the current list of spec's instance and purpose
// lacks room: it returns how many indexes the current list has left, or starts
// its successor (unless another transaction did) and returns the capacity.
func (t tx) nextList(ctx context.Context, spec store.StatusListSpec) (int, error) {
	cur, err := t.currentList(ctx, spec)
	if err != nil {
		return 0, err
	}
	if cur.Seq > 0 && cur.Allocated < cur.Capacity {
		return cur.Capacity - cur.Allocated, nil
	}
	return spec.Capacity, t.startList(ctx, spec, cur.Seq+1)
}

// countIndexes counts k more indexes against the capacity of the current list
// of spec's instance and purpose and returns that list, or ErrNoRows when there
// is no list or the current one has fewer than k left. The conditional
// increment locks the list's row until commit, so allocators of one list,
// other processes' included, take turns and the count stays exact.
func (t tx) countIndexes(ctx context.Context, spec store.StatusListSpec, k int) (store.StatusList, error) {
	return scanList(t.q.QueryRow(ctx, `UPDATE status_lists SET allocated = allocated + $3
		WHERE id = (SELECT id FROM status_lists WHERE instance_id = $1 AND purpose = $2
			ORDER BY seq DESC LIMIT 1) AND allocated + $3 <= capacity
		RETURNING `+listCols, spec.InstanceID, string(spec.Purpose), k))
}

// drawAttempts is how many rounds of random draws claimIndexes makes against
// what it has learnt before it loads the list's allocated indexes.
const drawAttempts = 8

// claimIndexes records k free indexes of l drawn with status.RandomIndex,
// whose room the caller has counted. The primary key of status_entries makes
// a repeat impossible: the rows are inserted in one statement that skips the
// taken ones, and those are drawn again. After drawAttempts rounds with misses
// (a list nearly full at its capacity, or a poor random source) the allocated
// set is loaded, so that the next draws find free indexes, since the caller
// holds the list's row lock.
func (t tx) claimIndexes(ctx context.Context, l store.StatusList, k int, at time.Time, rand io.Reader) ([]int, error) {
	drawn := map[int]bool{}
	taken := func(i int) bool { return drawn[i] }
	got := make([]int, 0, k)
	for round := range 2 * drawAttempts {
		if round == drawAttempts {
			all := newBitset(l.Entries)
			if err := t.loadAllocated(ctx, l.ID, all); err != nil {
				return nil, err
			}
			taken = func(i int) bool { return drawn[i] || all.has(i) }
		}
		draw := make([]int, k-len(got))
		for j := range draw {
			i, err := status.RandomIndex(rand, l.Entries, taken)
			if err != nil {
				return nil, fmt.Errorf("store: drawing status index: %w", err)
			}
			draw[j], drawn[i] = i, true
		}
		ins, err := t.insertEntries(ctx, l.ID, draw, at)
		if err != nil {
			return nil, err
		}
		if got = append(got, ins...); len(got) == k {
			return got, nil
		}
	}
	return nil, fmt.Errorf("%w: %d rounds of status index draws were taken; the random source is not random",
		store.ErrConflict, 2*drawAttempts)
}

// insertEntries inserts unbound entries of list at the indexes that are free
// and returns those.
func (t tx) insertEntries(ctx context.Context, list string, idx []int, at time.Time) ([]int, error) {
	var q strings.Builder
	q.WriteString(`INSERT INTO status_entries (list_id, idx, value, allocated_at) VALUES `)
	args := make([]any, 2, 2+len(idx))
	args[0], args[1] = list, t.d.Time(micro(at))
	for j, i := range idx {
		if j > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($1, $%d, 0, $2)", j+3)
		args = append(args, i)
	}
	q.WriteString(` ON CONFLICT (list_id, idx) DO NOTHING RETURNING idx`)
	out := make([]int, 0, len(idx))
	err := t.q.Query(ctx, q.String(), args, func(row Row) error {
		var i int
		err := row.Scan(&i)
		out = append(out, i)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claiming status indexes: %w", err)
	}
	return out, nil
}

// ReleaseStatusIndexes implements store.StatusTx. Held credentials are written
// first, so that an entry one of them binds is not taken for a reservation. The
// lists' rows are locked first, in the order of their ids, as a reservation locks
// its list before it claims entries: a release and a reservation of another
// replica, or two releases, never wait for each other in opposite orders. Then
// one DELETE and one UPDATE per list.
func (t tx) ReleaseStatusIndexes(ctx context.Context, entries []store.StatusEntry) (int, error) {
	if _, err := t.flushHeld(ctx); err != nil {
		return 0, err
	}
	perList := map[string][]int{}
	for _, e := range entries {
		perList[e.ListID] = append(perList[e.ListID], e.Index)
	}
	lists := slices.Sorted(maps.Keys(perList))
	for _, id := range lists {
		if _, err := t.q.Exec(ctx, `UPDATE status_lists SET allocated = allocated WHERE id = $1`, id); err != nil {
			return 0, fmt.Errorf("store: releasing status indexes: %w", err)
		}
	}
	released := 0
	for _, id := range lists {
		for idx := range slices.Chunk(perList[id], releasePerStatement) {
			n, err := t.releaseList(ctx, id, idx)
			if err != nil {
				return 0, err
			}
			released += n
		}
	}
	return released, nil
}

// releasePerStatement bounds the indexes of one DELETE, well under SQLite's
// 32,766 parameters.
const releasePerStatement = 1000

// releaseList deletes the entries of list id at idx that are bound to no
// credential and unset, and lowers the list's count by as many.
func (t tx) releaseList(ctx context.Context, id string, idx []int) (int, error) {
	var q strings.Builder
	args := []any{id}
	for j, i := range idx {
		if j > 0 {
			q.WriteString(", ")
		}
		args = append(args, i)
		fmt.Fprintf(&q, "$%d", len(args))
	}
	n, err := t.q.Exec(ctx, `DELETE FROM status_entries WHERE list_id = $1 AND idx IN (`+q.String()+`)
		AND credential_id IS NULL AND value = 0`, args...)
	if err == nil && n > 0 {
		_, err = t.q.Exec(ctx, `UPDATE status_lists SET allocated = allocated - $2 WHERE id = $1`, id, n)
	}
	if err != nil {
		return 0, fmt.Errorf("store: releasing status indexes: %w", err)
	}
	return int(n), nil
}
