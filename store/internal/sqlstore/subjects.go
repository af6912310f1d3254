package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/store"
)

// Rows written by one statement filing held credentials under their subjects
// (2 parameters each), or locking subjects' fences (1 each).
const heldSubjectsPerStatement = 256

// FenceSubject implements store.CredentialTx. It writes the credentials held
// before, in the order of the calls, so that they are not refused by a fence
// raised after them and the reads that follow find them. The upsert locks
// did's fence row until the transaction ends, also when it does not move it.
func (t tx) FenceSubject(ctx context.Context, did string, at time.Time) error {
	if err := store.CheckFence(did, at); err != nil {
		return err
	}
	if _, err := t.flushHeld(ctx); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `INSERT INTO subject_fences (subject_did, changed_at) VALUES ($1, $2)
		ON CONFLICT (subject_did) DO UPDATE SET changed_at = excluded.changed_at
		WHERE subject_fences.changed_at IS NULL OR subject_fences.changed_at < excluded.changed_at`,
		did, t.d.Time(micro(at)))
	return wrap(err, "subject fence")
}

// checkFences locks the fence of every subject of creds, creating those that
// do not exist, and fails for the first credential issued before a change of
// one of its subjects (ErrSubjectChanged), returning the function to blame.
// Subjects are locked in sorted order, so that two transactions filing
// credentials under the same subjects do not deadlock over them.
func (t tx) checkFences(ctx context.Context, creds []heldCred) (int, error) {
	var dids []string
	for _, h := range creds {
		dids = append(dids, h.c.AllSubjects()...)
	}
	slices.Sort(dids)
	dids = slices.Compact(dids)
	changed := map[string]time.Time{}
	for from := 0; from < len(dids); from += heldSubjectsPerStatement {
		if err := t.lockFences(ctx, dids[from:min(from+heldSubjectsPerStatement, len(dids))], changed); err != nil {
			return -1, err
		}
	}
	for _, h := range creds {
		for _, did := range h.c.AllSubjects() {
			if at := changed[did]; at.After(micro(h.c.Issued)) {
				return h.fn, fmt.Errorf("%w: the state of %s changed at %s, after credential %s was issued",
					store.ErrSubjectChanged, did, at.Format(time.RFC3339Nano), h.c.ID)
			}
		}
	}
	return -1, nil
}

// lockFences runs one statement locking the fences of dids, and records in
// changed those that were ever raised. A fence that was never raised (NULL)
// is locked but not rewritten, and so not returned.
func (t tx) lockFences(ctx context.Context, dids []string, changed map[string]time.Time) error {
	var q strings.Builder
	q.WriteString(`INSERT INTO subject_fences (subject_did) VALUES `)
	args := make([]any, len(dids))
	for i, did := range dids {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($%d)", i+1)
		args[i] = did
	}
	q.WriteString(` ON CONFLICT (subject_did) DO UPDATE SET changed_at = subject_fences.changed_at
		WHERE subject_fences.changed_at IS NOT NULL RETURNING subject_did, changed_at`)
	err := t.q.Query(ctx, q.String(), args, func(row Row) error {
		var did string
		var at time.Time
		err := row.Scan(&did, timeCol{&at})
		if !at.IsZero() {
			changed[did] = at
		}
		return err
	})
	return wrap(err, "subject fences")
}

// insertSubjects files the credentials under their subjects.
func (t tx) insertSubjects(ctx context.Context, creds []heldCred) error {
	var args []any
	for _, h := range creds {
		for _, did := range h.c.AllSubjects() {
			args = append(args, h.c.ID, did)
		}
	}
	for from := 0; from < len(args); from += 2 * heldSubjectsPerStatement {
		chunk := args[from:min(from+2*heldSubjectsPerStatement, len(args))]
		var q strings.Builder
		q.WriteString(`INSERT INTO credential_subjects (credential_id, subject_did) VALUES `)
		for j := range len(chunk) / 2 {
			if j > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($%d, $%d)", 2*j+1, 2*j+2)
		}
		if _, err := t.q.Exec(ctx, q.String(), chunk...); err != nil {
			return fmt.Errorf("store: filing credentials by subject: %w", err)
		}
	}
	return nil
}
