package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/kakunin-dev/kakunin/store"
)

// maxLinkChain bounds the walk along successors that looks for a cycle: a chain
// longer than this is refused rather than walked.
const maxLinkChain = 1000

const linkCols = `predecessor, successor, predecessor_version, successor_version, record, signature,
	successor_signature, at`

// Link locks the registry rows of both DIDs and of the DIDs that follow the
// successor (found by a first walk), in one sorted order, before it reads
// anything; refuseCycle then walks again and locks any DID it reaches that was not
// locked yet before reading its successor. Every read that decides the link is
// thus made under a lock that a write changing it must take too: with several
// PostgreSQL writers (or replicas), links A → B and B → A, or the last links of a
// longer cycle, made at once serialise and the later one sees the earlier, and
// the sorted order keeps them from deadlocking when the chains do not change
// meanwhile. SQLite's single writer is serial anyway. Both versions get one time:
// l.Time, or the later of the two DIDs' latest versions when one is after it.
func (t tx) Link(ctx context.Context, l store.Link) (store.Link, error) {
	if err := l.Validate(); err != nil {
		return store.Link{}, err
	}
	locked, err := t.lockLinked(ctx, l)
	if err != nil {
		return store.Link{}, err
	}
	when := micro(l.Time)
	for _, d := range []string{l.Predecessor, l.Successor} {
		s, err := t.requireLinkable(ctx, d)
		if err != nil {
			return store.Link{}, err
		}
		if s.Updated.After(when) {
			when = s.Updated
		}
	}
	if err := t.refuseCycle(ctx, l, locked); err != nil {
		return store.Link{}, err
	}
	l.Time = when
	e, err := t.appendVersion(ctx, store.Event{DID: l.Predecessor, Kind: store.EventLinked, Time: when}, false)
	if err != nil {
		return store.Link{}, err
	}
	l.PredecessorVersion = e.VersionID
	if e, err = t.appendVersion(ctx, store.Event{DID: l.Successor, Kind: store.EventLinked, Time: when}, false); err != nil {
		return store.Link{}, err
	}
	l.SuccessorVersion = e.VersionID
	n, err := t.q.Exec(ctx, `INSERT INTO did_links (`+linkCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT DO NOTHING`, l.Predecessor, l.Successor, l.PredecessorVersion, l.SuccessorVersion,
		l.Record, l.Signature, nullableBytes(l.SuccessorSignature), t.d.Time(when))
	if err := changed(n, err, "the predecessor already has a successor or the successor a predecessor",
		"recording link"); err != nil {
		return store.Link{}, err
	}
	return l, nil
}

// lockLinked locks, in sorted order, the rows of l's two DIDs and of the DIDs
// that follow l.Successor (read without locks, up to l.Predecessor or
// maxLinkChain), and returns the set it locked.
func (t tx) lockLinked(ctx context.Context, l store.Link) (map[string]bool, error) {
	ids := []string{l.Predecessor, l.Successor}
	for d := l.Successor; len(ids) < maxLinkChain+2; {
		s, ok, err := t.successor(ctx, d)
		if err != nil {
			return nil, err
		}
		if !ok || s == l.Predecessor || s == l.Successor {
			break
		}
		ids, d = append(ids, s), s
	}
	slices.Sort(ids)
	locked := make(map[string]bool, len(ids))
	for _, d := range slices.Compact(ids) {
		if err := t.lockDID(ctx, d); err != nil {
			return nil, err
		}
		locked[d] = true
	}
	return locked, nil
}

// successor returns the DID that succeeds did, if any.
func (t tx) successor(ctx context.Context, did string) (string, bool, error) {
	var s string
	err := t.q.QueryRow(ctx, `SELECT successor FROM did_links WHERE predecessor = $1`, did).Scan(&s)
	if isNoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap(err, "links")
	}
	return s, true, nil
}

// lockDID takes the row lock of did's registry row until the transaction ends
// (PostgreSQL; an update to the same value, as LockTree does). A DID without a
// row is left to requireLinkable.
func (t tx) lockDID(ctx context.Context, did string) error {
	_, err := t.q.Exec(ctx, `UPDATE dids SET version = version WHERE did = $1`, did)
	if err != nil {
		return fmt.Errorf("store: locking DID: %w", err)
	}
	return nil
}

// requireLinkable returns the state of did; it fails with ErrNotFound when did
// has no history and with ErrDeactivated when it is deactivated.
func (t tx) requireLinkable(ctx context.Context, did string) (store.DIDState, error) {
	s, err := t.DID(ctx, did)
	switch {
	case err != nil:
		return store.DIDState{}, err
	case s.Deactivated:
		return store.DIDState{}, fmt.Errorf("%w: %s", store.ErrDeactivated, did)
	}
	return s, nil
}

// refuseCycle fails with ErrConflict when l.Predecessor already succeeds
// l.Successor, directly or through other links, or when either end of l is
// already taken (checked here for a precise message; the table's keys enforce it
// too). locked holds the DIDs whose rows the transaction has locked, among them
// both ends; the walk locks any other DID before reading its successor, so that a
// link being made at once from that DID is either seen or waits for this
// transaction.
func (t tx) refuseCycle(ctx context.Context, l store.Link, locked map[string]bool) error {
	for _, d := range []string{l.Predecessor, l.Successor} {
		links, err := t.Links(ctx, d)
		if err != nil {
			return err
		}
		for _, k := range links {
			switch {
			case k.Predecessor == l.Predecessor:
				return fmt.Errorf("%w: %s already has a successor", store.ErrConflict, l.Predecessor)
			case k.Successor == l.Successor:
				return fmt.Errorf("%w: %s already has a predecessor", store.ErrConflict, l.Successor)
			}
		}
	}
	d := l.Successor
	for range maxLinkChain {
		s, ok, err := t.successor(ctx, d)
		switch {
		case err != nil:
			return err
		case !ok:
			return nil
		case s == l.Predecessor:
			return fmt.Errorf("%w: %s already succeeds %s: the link would close a cycle", store.ErrConflict,
				l.Predecessor, l.Successor)
		case !locked[s]:
			if err := t.lockDID(ctx, s); err != nil {
				return err
			}
			locked[s] = true
		}
		d = s
	}
	return fmt.Errorf("%w: more than %d successors after %s", store.ErrConflict, maxLinkChain, l.Successor)
}

func (r reader) Links(ctx context.Context, did string) ([]store.Link, error) {
	var out []store.Link
	err := r.q.Query(ctx, `SELECT `+linkCols+` FROM did_links WHERE predecessor = $1 OR successor = $1
		ORDER BY at, predecessor`, []any{did}, func(row Row) error {
		var l store.Link
		var second []byte
		err := row.Scan(&l.Predecessor, &l.Successor, &l.PredecessorVersion, &l.SuccessorVersion, &l.Record,
			&l.Signature, &second, timeCol{&l.Time})
		l.SuccessorSignature = second
		out = append(out, l)
		return err
	})
	return out, wrap(err, "links")
}

func nullableBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
