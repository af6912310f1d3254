package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

var (
	_ store.CredentialTx     = tx{}
	_ store.CredentialReader = reader{}
)

const credCols = `id, instance_id, tenant_id, subject_did, types, issued_at, valid_until, data`

// PutCredential implements store.CredentialTx. It writes the credentials held
// in the transaction first, so that they come in the order of the calls, then
// c, as a flush of held credentials writes them.
func (t tx) PutCredential(ctx context.Context, c store.Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if _, err := t.flushHeld(ctx); err != nil {
		return err
	}
	_, err := t.writeCredentials(ctx, []heldCred{{fn: -1, c: c}})
	return err
}

// credentialArgs are the values of credCols for c.
func (t tx) credentialArgs(c store.Credential) []any {
	var validUntil any
	if !c.ValidUntil.IsZero() {
		validUntil = t.d.Time(micro(c.ValidUntil))
	}
	return []any{c.ID, c.InstanceID, c.TenantID, c.SubjectDID, jsonStrings(c.Types), t.d.Time(micro(c.Issued)),
		validUntil, c.Data}
}

// bindFailure explains why entry e could not be bound: ErrNotFound when it
// was not allocated, ErrConflict otherwise.
func (t tx) bindFailure(ctx context.Context, e store.StatusEntry) error {
	if _, err := t.reader.Status(ctx, e.ListID, e.Index); err != nil {
		return err
	}
	return fmt.Errorf("%w: status index %d of list %s belongs to another credential or issuer instance",
		store.ErrConflict, e.Index, e.ListID)
}

// Credential implements store.CredentialReader in a transaction, after
// writing the credentials held in it.
func (t tx) Credential(ctx context.Context, id string) (store.Credential, error) {
	if _, err := t.flushHeld(ctx); err != nil {
		return store.Credential{}, err
	}
	return t.reader.Credential(ctx, id)
}

// CredentialsBySubject implements store.CredentialReader in a transaction,
// after writing the credentials held in it.
func (t tx) CredentialsBySubject(ctx context.Context, did string) ([]store.Credential, error) {
	if _, err := t.flushHeld(ctx); err != nil {
		return nil, err
	}
	return t.reader.CredentialsBySubject(ctx, did)
}

func (r reader) Credential(ctx context.Context, id string) (store.Credential, error) {
	c, err := scanCredential(r.q.QueryRow(ctx, `SELECT `+credCols+` FROM credentials WHERE id = $1`, id))
	if err != nil {
		return c, notFound(err, "credential")
	}
	cs := []store.Credential{c}
	err = r.complete(ctx, cs, `= $1`, id)
	return cs[0], err
}

// bySubject selects the ids of the credentials filed under the subject $1.
const bySubject = `IN (SELECT credential_id FROM credential_subjects WHERE subject_did = $1)`

func (r reader) CredentialsBySubject(ctx context.Context, did string) ([]store.Credential, error) {
	var out []store.Credential
	err := r.q.Query(ctx, `SELECT `+credCols+` FROM credentials WHERE id `+bySubject+` ORDER BY issued_at, id`,
		[]any{did}, func(row Row) error {
			c, err := scanCredential(row)
			out = append(out, c)
			return err
		})
	if err != nil || len(out) == 0 {
		return out, wrap(err, "credentials")
	}
	return out, r.complete(ctx, out, bySubject, did)
}

// complete fills in the subjects and status entries of creds, the credentials
// whose id matches the condition ids (with $1 bound to arg).
func (r reader) complete(ctx context.Context, creds []store.Credential, ids, arg string) error {
	subjects, err := r.subjects(ctx, ids, arg)
	if err != nil {
		return err
	}
	entries, err := r.statusEntries(ctx, ids, arg)
	for i := range creds {
		creds[i].Subjects, creds[i].Status = subjects[creds[i].ID], entries[creds[i].ID]
	}
	return err
}

// subjects returns the subjects of the credentials whose id matches the
// condition ids, sorted, by credential id.
func (r reader) subjects(ctx context.Context, ids, arg string) (map[string][]string, error) {
	out := map[string][]string{}
	err := r.q.Query(ctx, `SELECT credential_id, subject_did FROM credential_subjects
		WHERE credential_id `+ids+` ORDER BY credential_id, subject_did`, []any{arg}, func(row Row) error {
		var id, did string
		err := row.Scan(&id, &did)
		out[id] = append(out[id], did)
		return err
	})
	return out, wrap(err, "credential subjects")
}

// statusEntries returns the status entries of the credentials whose id
// matches the condition ids, by credential id.
func (r reader) statusEntries(ctx context.Context, ids, arg string) (map[string][]store.StatusEntry, error) {
	out := map[string][]store.StatusEntry{}
	err := r.q.Query(ctx, `SELECT e.credential_id, e.list_id, e.idx, l.purpose, l.url, l.status_size
		FROM status_entries e JOIN status_lists l ON l.id = e.list_id
		WHERE e.credential_id `+ids+` ORDER BY l.purpose, e.list_id, e.idx`, []any{arg}, func(row Row) error {
		var (
			id, purpose string
			e           store.StatusEntry
		)
		err := row.Scan(&id, &e.ListID, &e.Index, &purpose, &e.URL, &e.StatusSize)
		e.Purpose = status.Purpose(purpose)
		out[id] = append(out[id], e)
		return err
	})
	return out, wrap(err, "status entries")
}

func scanCredential(row Row) (store.Credential, error) {
	var c store.Credential
	err := row.Scan(&c.ID, &c.InstanceID, &c.TenantID, &c.SubjectDID, stringsCol{&c.Types},
		timeCol{&c.Issued}, timeCol{&c.ValidUntil}, &c.Data)
	return c, err
}

// jsonStrings is the stored form of a list of strings: a JSON array.
func jsonStrings(s []string) string {
	if s == nil {
		s = []string{}
	}
	b, _ := json.Marshal(s) // strings always marshal
	return string(b)
}

// stringsCol scans a list stored by jsonStrings.
type stringsCol struct{ s *[]string }

func (c stringsCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlstore: cannot read %T as a list of strings", src)
	}
	*c.s = nil
	if err := json.Unmarshal(b, c.s); err != nil {
		return fmt.Errorf("sqlstore: reading a list of strings: %w", err)
	}
	if len(*c.s) == 0 {
		*c.s = nil
	}
	return nil
}
