package issuer

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/audit/memstore"
	"github.com/kakunin-dev/kakunin/store"
	"github.com/kakunin-dev/kakunin/vc/status"
)

// MemStore is a Store kept in memory, for tests and single-process trials: nothing survives
// a restart. Transactions are serialised and undone when their function fails. The zero
// value is ready to use.
type MemStore struct {
	mu      sync.Mutex
	log     memstore.Store
	creds   map[string]store.Credential
	lists   map[string]*memList
	current map[[2]string]string           // instance, purpose → current list id
	idem    map[[2]string]store.Idempotent // tenant, key → recorded response
	fences  map[string]memFence            // subject DID → its fence
}

// memFence is a subject's fence: the generation each change of its state moves, and the
// time of the last change.
type memFence struct {
	gen int64
	at  time.Time
}

type memList struct {
	list  store.StatusList
	bits  *status.Bitstring
	bound map[int]string // allocated index → credential id ("" until bound)
}

var _ Store = (*MemStore)(nil)

// AuditLog returns the in-memory audit log the store appends to.
func (m *MemStore) AuditLog() *memstore.Store { return &m.log }

// Tx implements Store.
func (m *MemStore) Tx(ctx context.Context, fn func(Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.creds == nil {
		m.creds, m.lists, m.current = map[string]store.Credential{}, map[string]*memList{}, map[[2]string]string{}
		m.idem, m.fences = map[[2]string]store.Idempotent{}, map[string]memFence{}
	}
	return m.log.Update(func(atx audit.Tx) error {
		t := &memTx{Appender: atx, m: m}
		err := fn(t)
		if err != nil {
			for i := len(t.undo) - 1; i >= 0; i-- {
				t.undo[i]()
			}
		}
		return err
	})
}

// Credential implements Store.
func (m *MemStore) Credential(_ context.Context, id string) (store.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.credential(id)
}

func (m *MemStore) credential(id string) (store.Credential, error) {
	c, ok := m.creds[id]
	if !ok {
		return store.Credential{}, fmt.Errorf("%w: credential %q", store.ErrNotFound, id)
	}
	return c, nil
}

// CredentialsBySubject implements Store.
func (m *MemStore) CredentialsBySubject(_ context.Context, did string) ([]store.Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bySubject(did), nil
}

// bySubject returns the credentials filed under did, oldest first.
func (m *MemStore) bySubject(did string) []store.Credential {
	var out []store.Credential
	for _, c := range m.creds {
		if slices.Contains(c.Subjects, did) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b store.Credential) int {
		return cmp.Or(a.Issued.Compare(b.Issued), strings.Compare(a.ID, b.ID))
	})
	return out
}

// SubjectGenerations implements Store.
func (m *MemStore) SubjectGenerations(_ context.Context, dids []string) (map[string]int64, error) {
	if err := store.CheckSubjectDIDs(dids); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int64{}
	for _, did := range dids {
		if f, ok := m.fences[did]; ok {
			out[did] = f.gen
		}
	}
	return out, nil
}

// StatusList implements Store.
func (m *MemStore) StatusList(_ context.Context, id string) (store.StatusList, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.lists[id]
	if !ok {
		return store.StatusList{}, fmt.Errorf("%w: status list %q", store.ErrNotFound, id)
	}
	out := l.list
	out.Bits = l.bits.Clone()
	return out, nil
}

// StatusListVersion implements store.StatusVersionReader.
func (m *MemStore) StatusListVersion(_ context.Context, id string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.lists[id]
	if !ok {
		return 0, fmt.Errorf("%w: status list %q", store.ErrNotFound, id)
	}
	return l.list.Version, nil
}

type memTx struct {
	audit.Appender
	m    *MemStore
	undo []func()
}

func (t *memTx) Credential(_ context.Context, id string) (store.Credential, error) {
	return t.m.credential(id)
}

func (t *memTx) CredentialsBySubject(_ context.Context, did string) ([]store.Credential, error) {
	return t.m.bySubject(did), nil
}

// FenceSubject implements Tx. Transactions are serialised, so the fence needs no lock.
func (t *memTx) FenceSubject(_ context.Context, did string, at time.Time) error {
	if err := store.CheckFence(did, at); err != nil {
		return err
	}
	prev, had := t.m.fences[did]
	next := memFence{gen: prev.gen + 1, at: at}
	if had && !prev.at.Before(at) {
		next.at = prev.at
	}
	t.m.fences[did] = next
	t.undo = append(t.undo, func() {
		if had {
			t.m.fences[did] = prev
		} else {
			delete(t.m.fences, did)
		}
	})
	return nil
}

func (t *memTx) PutCredential(_ context.Context, c store.Credential) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if _, ok := t.m.creds[c.ID]; ok {
		return fmt.Errorf("%w: credential %q exists", store.ErrConflict, c.ID)
	}
	c.Subjects = c.AllSubjects()
	gens := map[string]int64{}
	for _, did := range c.Subjects {
		gens[did] = t.m.fences[did].gen
	}
	if err := store.CheckGenerations(c, gens); err != nil {
		return err
	}
	c.Generations = nil // not stored, as in the SQL stores
	for i, e := range c.Status {
		l, ok := t.m.lists[e.ListID]
		owner, allocated := "", false
		if ok {
			owner, allocated = l.bound[e.Index]
		}
		switch {
		case !allocated:
			return fmt.Errorf("%w: status index %d of %q not allocated", store.ErrNotFound, e.Index, e.ListID)
		case owner != "":
			return fmt.Errorf("%w: status index bound to another credential", store.ErrConflict)
		}
		l.bound[e.Index] = c.ID
		t.undo = append(t.undo, func() { l.bound[e.Index] = "" })
		c.Status[i].Purpose, c.Status[i].URL, c.Status[i].StatusSize = l.list.Purpose, l.list.URL, l.list.StatusSize
	}
	t.m.creds[c.ID] = c
	t.undo = append(t.undo, func() { delete(t.m.creds, c.ID) })
	return nil
}

func (t *memTx) AllocateStatusIndex(_ context.Context, spec store.StatusListSpec, r io.Reader) (store.StatusEntry, error) {
	if err := spec.Validate(); err != nil {
		return store.StatusEntry{}, err
	}
	spec = spec.WithDefaults()
	l, err := t.currentList(spec, r)
	if err != nil {
		return store.StatusEntry{}, err
	}
	idx, err := status.RandomIndex(r, l.list.Entries, func(i int) bool { _, ok := l.bound[i]; return ok })
	if err != nil {
		return store.StatusEntry{}, err
	}
	l.bound[idx] = ""
	l.list.Allocated++
	t.undo = append(t.undo, func() { delete(l.bound, idx); l.list.Allocated-- })
	return store.StatusEntry{ListID: l.list.ID, Index: idx, Purpose: spec.Purpose, URL: l.list.URL,
		StatusSize: l.list.StatusSize}, nil
}

// ReserveStatusIndexes implements Tx: n allocations, bound later.
func (t *memTx) ReserveStatusIndexes(ctx context.Context, spec store.StatusListSpec, n int,
	r io.Reader) ([]store.StatusEntry, error) {
	if n < 1 || n > store.MaxStatusReserve {
		return nil, &store.FieldError{Field: "status indexes reserved", Reason: "not between 1 and 1,024"}
	}
	out := make([]store.StatusEntry, 0, n)
	for range n {
		e, err := t.AllocateStatusIndex(ctx, spec, r)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// ReleaseStatusIndexes implements Tx.
func (t *memTx) ReleaseStatusIndexes(_ context.Context, entries []store.StatusEntry) (int, error) {
	released := 0
	for _, e := range entries {
		l, ok := t.m.lists[e.ListID]
		if !ok {
			continue
		}
		owner, allocated := l.bound[e.Index]
		if v, err := l.bits.Get(e.Index, l.list.StatusSize); !allocated || owner != "" || err != nil || v != 0 {
			continue
		}
		delete(l.bound, e.Index)
		l.list.Allocated--
		released++
		t.undo = append(t.undo, func() { l.bound[e.Index] = ""; l.list.Allocated++ })
	}
	return released, nil
}

// HoldCredential implements Tx: a MemStore writes at once.
func (t *memTx) HoldCredential(ctx context.Context, c store.Credential) error {
	return t.PutCredential(ctx, c)
}

func (t *memTx) currentList(spec store.StatusListSpec, r io.Reader) (*memList, error) {
	key := [2]string{spec.InstanceID, string(spec.Purpose)}
	var seq int64
	if id, ok := t.m.current[key]; ok {
		l := t.m.lists[id]
		if l.list.Allocated < l.list.Capacity {
			return l, nil
		}
		seq = l.list.Seq
	}
	var raw [12]byte
	if _, err := io.ReadFull(r, raw[:]); err != nil {
		return nil, fmt.Errorf("issuer: status list id: %w", err)
	}
	bits, err := status.New(spec.Entries * spec.StatusSize)
	if err != nil {
		return nil, err
	}
	id := hex.EncodeToString(raw[:])
	l := &memList{bits: bits, bound: map[int]string{}, list: store.StatusList{
		ID: id, InstanceID: spec.InstanceID, Purpose: spec.Purpose, URL: spec.URLPrefix + id, Seq: seq + 1,
		Entries: spec.Entries, StatusSize: spec.StatusSize, Capacity: spec.Capacity, Created: spec.At, Updated: spec.At,
	}}
	prev, had := t.m.current[key]
	t.m.lists[id], t.m.current[key] = l, id
	t.undo = append(t.undo, func() {
		delete(t.m.lists, id)
		if had {
			t.m.current[key] = prev
		} else {
			delete(t.m.current, key)
		}
	})
	return l, nil
}

// Status implements Tx.
func (t *memTx) Status(_ context.Context, listID string, index int) (uint64, error) {
	l, ok := t.m.lists[listID]
	if !ok {
		return 0, fmt.Errorf("%w: status list %q", store.ErrNotFound, listID)
	}
	v, err := l.bits.Get(index, l.list.StatusSize)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	return v, nil
}

func (t *memTx) SetStatus(_ context.Context, listID string, index int, value uint64, at time.Time) error {
	l, ok := t.m.lists[listID]
	if !ok {
		return fmt.Errorf("%w: status list %q", store.ErrNotFound, listID)
	}
	if _, ok := l.bound[index]; !ok {
		return fmt.Errorf("%w: status index %d not allocated", store.ErrNotFound, index)
	}
	old, err := l.bits.Get(index, l.list.StatusSize)
	if err != nil {
		return fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	switch {
	case old == value:
		return nil
	case l.list.Purpose == status.Revocation && old != 0:
		return fmt.Errorf("%w: revocation is not reversible", store.ErrConflict)
	}
	if err := l.bits.Set(index, l.list.StatusSize, value); err != nil {
		return fmt.Errorf("%w: %v", store.ErrInvalid, err)
	}
	prev := l.list
	l.list.Version++
	l.list.Updated = at
	t.undo = append(t.undo, func() { _ = l.bits.Set(index, l.list.StatusSize, old); l.list = prev })
	return nil
}
