package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/kakunin-dev/kakunin/store"
)

// Rows written by one statement of a flush of held credentials: 64 records of
// 8 parameters, 128 bindings of 3, well under SQLite's 32,766 parameters.
const (
	heldCredsPerStatement = 64
	heldBindsPerStatement = 128
)

// heldWrites are the credential records that HoldCredential held back in one
// write transaction, with the transaction function that held each (fn is the
// one running), so that a conflict found when they are written is blamed on
// that function. Once a flush has failed the transaction must not commit:
// failedFn and err stay set and every later flush returns them.
type heldWrites struct {
	fn       int
	creds    []heldCred
	failedFn int
	err      error
}

type heldCred struct {
	fn int
	c  store.Credential
}

func newHeldWrites() *heldWrites { return &heldWrites{failedFn: -1} }

// HoldCredential implements store.CredentialTx.
func (t tx) HoldCredential(ctx context.Context, c store.Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if t.held == nil || t.held.err != nil {
		return t.PutCredential(ctx, c)
	}
	c.Status = append([]store.StatusEntry(nil), c.Status...)
	c.Subjects = append([]string(nil), c.Subjects...)
	t.held.creds = append(t.held.creds, heldCred{t.held.fn, c})
	return nil
}

// flushHeld writes the held credential records, then their bindings, and
// returns -1 and nil, or the index of the transaction function to blame (-1
// when none can be) and its error.
func (t tx) flushHeld(ctx context.Context) (int, error) {
	h := t.held
	switch {
	case h == nil:
		return -1, nil
	case h.err != nil:
		return h.failedFn, h.err
	case len(h.creds) == 0:
		return -1, nil
	}
	creds := h.creds
	h.creds = nil
	fn, err := t.writeCredentials(ctx, creds)
	if err != nil {
		h.failedFn, h.err = fn, err
	}
	return fn, err
}

// writeCredentials checks and locks the fences of the records' subjects,
// inserts the records, files them under their subjects, then binds their
// entries, and returns -1 and nil, or the function to blame (the fn of the
// record at fault, -1 when none can be) and its error.
func (t tx) writeCredentials(ctx context.Context, creds []heldCred) (int, error) {
	fn, err := t.checkFences(ctx, creds)
	if err == nil {
		fn, err = t.insertHeld(ctx, creds)
	}
	if err == nil {
		err = t.insertSubjects(ctx, creds)
	}
	if err == nil {
		fn, err = t.bindHeld(ctx, creds)
	}
	return fn, err
}

// insertHeld inserts the records, and fails for the first one whose id is
// taken (by a stored credential or an earlier held one).
func (t tx) insertHeld(ctx context.Context, creds []heldCred) (int, error) {
	inserted := map[string]int{}
	for from := 0; from < len(creds); from += heldCredsPerStatement {
		var q strings.Builder
		q.WriteString(`INSERT INTO credentials (` + credCols + `) VALUES `)
		chunk := creds[from:min(from+heldCredsPerStatement, len(creds))]
		args := make([]any, 0, 8*len(chunk))
		for j, h := range chunk {
			if j > 0 {
				q.WriteString(", ")
			}
			p := 8 * j
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8)
			args = append(args, t.credentialArgs(h.c)...)
		}
		q.WriteString(` ON CONFLICT (id) DO NOTHING RETURNING id`)
		err := t.q.Query(ctx, q.String(), args, func(row Row) error {
			var id string
			err := row.Scan(&id)
			inserted[id]++
			return err
		})
		if err != nil {
			return -1, fmt.Errorf("store: recording credentials: %w", err)
		}
	}
	for _, h := range creds {
		if inserted[h.c.ID] == 0 {
			return h.fn, fmt.Errorf("%w: credential %s exists", store.ErrConflict, h.c.ID)
		}
		inserted[h.c.ID]--
	}
	return -1, nil
}

// bindKey is a binding of an entry to a credential.
type bindKey struct {
	list string
	idx  int
	cred string
}

// bindHeld binds the records' entries, and fails for the first one that was
// not allocated, is bound to another credential, or is of another instance.
func (t tx) bindHeld(ctx context.Context, creds []heldCred) (int, error) {
	type bind struct {
		fn int
		k  bindKey
		c  store.Credential
	}
	var binds []bind
	for _, h := range creds {
		for _, e := range h.c.Status {
			binds = append(binds, bind{h.fn, bindKey{e.ListID, e.Index, h.c.ID}, h.c})
		}
	}
	owners, err := listInstances(ctx, t, binds, func(b bind) string { return b.k.list })
	if err != nil {
		return -1, err
	}
	// An entry of another instance's list is not bound, so it fails below.
	mine := binds[:0:0]
	for _, b := range binds {
		if owners[b.k.list] == b.c.InstanceID {
			mine = append(mine, b)
		}
	}
	bound := map[bindKey]int{}
	for from := 0; from < len(mine); from += heldBindsPerStatement {
		chunk := mine[from:min(from+heldBindsPerStatement, len(mine))]
		args := make([]any, 0, 3*len(chunk))
		for _, b := range chunk {
			args = append(args, b.k.list, b.k.idx, b.k.cred)
		}
		if err := t.bindEntries(ctx, args, bound); err != nil {
			return -1, err
		}
	}
	for _, b := range binds {
		if bound[b.k] == 0 {
			return b.fn, t.bindFailure(ctx, store.StatusEntry{ListID: b.k.list, Index: b.k.idx})
		}
		bound[b.k]--
	}
	return -1, nil
}

// listInstances returns the issuer instance of each distinct list that id
// names among items, in one query; a list that does not exist is absent.
func listInstances[T any](ctx context.Context, t tx, items []T, id func(T) string) (map[string]string, error) {
	out := map[string]string{}
	var q strings.Builder
	var args []any
	seen := map[string]bool{}
	for _, it := range items {
		if l := id(it); !seen[l] {
			seen[l] = true
			if len(args) > 0 {
				q.WriteString(", ")
			}
			args = append(args, l)
			fmt.Fprintf(&q, "$%d", len(args))
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	err := t.q.Query(ctx, `SELECT id, instance_id FROM status_lists WHERE id IN (`+q.String()+`)`, args,
		func(row Row) error {
			var id, instance string
			err := row.Scan(&id, &instance)
			out[id] = instance
			return err
		})
	return out, wrap(err, "status lists")
}

// bindEntries runs one statement binding the entries of args (list id, index
// and credential id for each) and counts the bindings made in bound. It joins
// on the primary key alone: a join with status_lists in the same statement let
// PostgreSQL plan an index scan on list_id only, reading the whole list for
// every entry (30-45 ms per batch once a list held a few thousand entries).
func (t tx) bindEntries(ctx context.Context, args []any, bound map[bindKey]int) error {
	var q strings.Builder
	q.WriteString(`WITH v (list_id, idx, cid) AS (VALUES `)
	for j := range len(args) / 3 {
		if j > 0 {
			q.WriteString(", ")
		}
		p := 3 * j
		fmt.Fprintf(&q, "(CAST($%d AS TEXT), CAST($%d AS BIGINT), CAST($%d AS TEXT))", p+1, p+2, p+3)
	}
	q.WriteString(`) UPDATE status_entries SET credential_id = v.cid FROM v
		WHERE status_entries.list_id = v.list_id AND status_entries.idx = v.idx
		AND status_entries.credential_id IS NULL
		RETURNING status_entries.list_id, status_entries.idx, status_entries.credential_id`)
	err := t.q.Query(ctx, q.String(), args, func(row Row) error {
		var k bindKey
		err := row.Scan(&k.list, &k.idx, &k.cred)
		bound[k]++
		return err
	})
	return wrap(err, "status entries")
}
