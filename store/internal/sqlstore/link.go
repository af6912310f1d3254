package sqlstore

import (
	"context"
	"fmt"

	"github.com/kakunin-dev/kakunin/store"
)

// maxLinkChain bounds the walk along successors that looks for a cycle: a chain
// longer than this is refused rather than walked.
const maxLinkChain = 1000

const linkCols = `predecessor, successor, predecessor_version, successor_version, record, signature,
	successor_signature, at`

func (t tx) Link(ctx context.Context, l store.Link) (store.Link, error) {
	if err := l.Validate(); err != nil {
		return store.Link{}, err
	}
	for _, d := range []string{l.Predecessor, l.Successor} {
		if err := t.requireLinkable(ctx, d); err != nil {
			return store.Link{}, err
		}
	}
	if err := t.refuseCycle(ctx, l); err != nil {
		return store.Link{}, err
	}
	e, err := t.appendVersion(ctx, store.Event{DID: l.Predecessor, Kind: store.EventLinked, Time: l.Time}, false)
	if err != nil {
		return store.Link{}, err
	}
	l.PredecessorVersion, l.Time = e.VersionID, e.Time
	if e, err = t.appendVersion(ctx, store.Event{DID: l.Successor, Kind: store.EventLinked, Time: l.Time}, false); err != nil {
		return store.Link{}, err
	}
	l.SuccessorVersion = e.VersionID
	n, err := t.q.Exec(ctx, `INSERT INTO did_links (`+linkCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT DO NOTHING`, l.Predecessor, l.Successor, l.PredecessorVersion, l.SuccessorVersion,
		l.Record, l.Signature, nullableBytes(l.SuccessorSignature), t.d.Time(micro(l.Time)))
	if err := changed(n, err, "the predecessor already has a successor or the successor a predecessor",
		"recording link"); err != nil {
		return store.Link{}, err
	}
	return l, nil
}

// requireLinkable fails with ErrNotFound when did has no history and with
// ErrDeactivated when it is deactivated.
func (t tx) requireLinkable(ctx context.Context, did string) error {
	s, err := t.DID(ctx, did)
	switch {
	case err != nil:
		return err
	case s.Deactivated:
		return fmt.Errorf("%w: %s", store.ErrDeactivated, did)
	}
	return nil
}

// refuseCycle fails with ErrConflict when l.Predecessor already succeeds
// l.Successor, directly or through other links, or when either end of l is
// already taken (checked here for a precise message; the table's keys enforce it
// under concurrency).
func (t tx) refuseCycle(ctx context.Context, l store.Link) error {
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
		var s string
		err := t.q.QueryRow(ctx, `SELECT successor FROM did_links WHERE predecessor = $1`, d).Scan(&s)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return wrap(err, "links")
		}
		if s == l.Predecessor {
			return fmt.Errorf("%w: %s already succeeds %s: the link would close a cycle", store.ErrConflict,
				l.Predecessor, l.Successor)
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
