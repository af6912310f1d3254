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
// raised after them and the reads that follow find them. The upsert moves
// did's fence to its next generation, and locks it until the transaction ends.
func (t tx) FenceSubject(ctx context.Context, did string, at time.Time) error {
	if err := store.CheckFence(did, at); err != nil {
		return err
	}
	if _, err := t.flushHeld(ctx); err != nil {
		return err
	}
	_, err := t.q.Exec(ctx, `INSERT INTO subject_fences (subject_did, changed_at, generation) VALUES ($1, $2, 1)
		ON CONFLICT (subject_did) DO UPDATE SET generation = subject_fences.generation + 1,
		changed_at = CASE WHEN subject_fences.changed_at IS NULL OR subject_fences.changed_at < excluded.changed_at
			THEN excluded.changed_at ELSE subject_fences.changed_at END`,
		did, t.d.Time(micro(at)))
	return wrap(err, "subject fence")
}

// SubjectGenerations implements store.CredentialReader, in one statement.
func (r reader) SubjectGenerations(ctx context.Context, dids []string) (map[string]int64, error) {
	if err := store.CheckSubjectDIDs(dids); err != nil {
		return nil, err
	}
	out := map[string]int64{}
	if len(dids) == 0 {
		return out, nil
	}
	args := make([]any, len(dids))
	for i, did := range dids {
		args[i] = did
	}
	err := r.q.Query(ctx, `SELECT subject_did, generation FROM subject_fences
		WHERE generation > 0 AND subject_did IN (`+placeholders(1, len(dids))+`)`, args, func(row Row) error {
		var did string
		var g int64
		err := row.Scan(&did, &g)
		out[did] = g
		return err
	})
	return out, wrap(err, "subject fences")
}

// checkFences locks the fence of every subject of creds, creating those that
// do not exist, and fails for the first credential whose recorded generation
// of one of its subjects is not the fence's (ErrSubjectChanged), returning
// the function to blame. Subjects are locked in sorted order, so that two
// transactions filing credentials under the same subjects do not deadlock
// over them.
func (t tx) checkFences(ctx context.Context, creds []heldCred) (int, error) {
	var dids []string
	for _, h := range creds {
		dids = append(dids, h.c.AllSubjects()...)
	}
	slices.Sort(dids)
	dids = slices.Compact(dids)
	gens := map[string]int64{}
	for from := 0; from < len(dids); from += heldSubjectsPerStatement {
		if err := t.lockFences(ctx, dids[from:min(from+heldSubjectsPerStatement, len(dids))], gens); err != nil {
			return -1, err
		}
	}
	for _, h := range creds {
		if err := store.CheckGenerations(h.c, gens); err != nil {
			return h.fn, err
		}
	}
	return -1, nil
}

// lockFences runs one statement locking the fences of dids, and records in
// gens the generations of those that were ever raised. A fence that was never
// raised (generation 0) is locked but not rewritten, and so not returned.
func (t tx) lockFences(ctx context.Context, dids []string, gens map[string]int64) error {
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
	q.WriteString(` ON CONFLICT (subject_did) DO UPDATE SET generation = subject_fences.generation
		WHERE subject_fences.generation > 0 RETURNING subject_did, generation`)
	err := t.q.Query(ctx, q.String(), args, func(row Row) error {
		var did string
		var g int64
		err := row.Scan(&did, &g)
		if g > 0 {
			gens[did] = g
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
