package status

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

const (
	suspensionURL = "https://example.com/credentials/status/4"
	messageURL    = "https://example.com/credentials/status/8"
)

// world is a set of published lists: a revocation list with index 94567 set, a suspension
// list with index 23452 set, and a message list of 2-bit entries with index 7 at 0x2. The
// documents are built once; each call gets its own copy of the map.
func world(t *testing.T) *fakeNet {
	t.Helper()
	worldOnce.Do(func() {
		revoked := mustNew(t, MinBits)
		mustSet(t, revoked, 94567, 1, 1)
		suspended := mustNew(t, MinBits)
		mustSet(t, suspended, 23452, 1, 1)
		messages := mustNew(t, 2*MinBits)
		mustSet(t, messages, 7, 2, 2)
		sp := listParams(Suspension)
		sp.ID = suspensionURL
		mp := listParams(Message)
		mp.ID = messageURL
		worldDocs = map[string][]byte{
			testListURL:   listDoc(t, listParams(Revocation), revoked),
			suspensionURL: listDoc(t, sp, suspended),
			messageURL:    listDoc(t, mp, messages),
		}
	})
	return &fakeNet{docs: maps.Clone(worldDocs)}
}

var (
	worldOnce sync.Once
	worldDocs map[string][]byte
)

func mustSet(t *testing.T, b *Bitstring, index, size int, v uint64) {
	t.Helper()
	if err := b.Set(index, size, v); err != nil {
		t.Fatal(err)
	}
}

func revocationEntry(index int) Entry {
	return Entry{Purpose: Revocation, Index: index, ListCredential: testListURL}
}

func messageEntry(index int) Entry {
	return Entry{Purpose: Message, Index: index, ListCredential: messageURL, Size: 2,
		Messages: []StatusMessage{{0, "pending_review"}, {1, "accepted"}, {2, "rejected"}, {3, "undefined"}}}
}

func checkOne(t *testing.T, net Fetcher, verify CredentialVerifier, status any, opts Options) ([]Result, error) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	return NewChecker(net, verify, opts).Check(context.Background(), credentialWith(t, status))
}

func TestCheckStatuses(t *testing.T) {
	tests := []struct {
		name    string
		entry   Entry
		status  uint64
		message string
	}{
		{"revoked", revocationEntry(94567), 1, "set"},
		{"not revoked", revocationEntry(94566), 0, "unset"},
		{"last index", revocationEntry(MinEntries - 1), 0, "unset"},
		{"suspended", Entry{Purpose: Suspension, Index: 23452, ListCredential: suspensionURL}, 1, "set"},
		{"message set", messageEntry(7), 2, "rejected"},
		{"message default", messageEntry(8), 0, "pending_review"},
	}
	net := world(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := checkOne(t, net, parseOnly, entryObject(t, tt.entry), Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := results[0]
			if len(results) != 1 || r.Status != tt.status || r.Valid != (tt.status == 0) || r.Message != tt.message || r.Entry.Purpose != tt.entry.Purpose {
				t.Fatalf("result %+v, want status %d message %q", r, tt.status, tt.message)
			}
		})
	}
}

// TestCheckSpecCredential runs §2.1 Example 1, whose two entries point at two lists.
func TestCheckSpecCredential(t *testing.T) {
	c, err := vc.ParseCredential([]byte(specCredential), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	results, err := NewChecker(world(t), parseOnly, Options{Now: func() time.Time { return testNow }}).Check(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Valid || results[1].Valid || results[1].Position != 1 || results[1].Entry.Purpose != Suspension {
		t.Fatalf("results %+v: want revoked and suspended", results)
	}
}

func TestCheckWithoutStatus(t *testing.T) {
	c, err := vc.ParseCredential([]byte(specListCredential), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	results, err := Check(context.Background(), c, world(t), parseOnly, testNow)
	if results != nil || err != nil {
		t.Fatalf("a credential without credentialStatus gave %v, %v", results, err)
	}
}

// editedList republishes the revocation list after edit changes its document.
func editedList(t *testing.T, edit func(doc, subject map[string]any)) *fakeNet {
	t.Helper()
	net := world(t)
	var doc map[string]any
	if err := json.Unmarshal(net.docs[testListURL], &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc, doc["credentialSubject"].(map[string]any))
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	net.docs[testListURL] = data
	return net
}

func TestCheckFailures(t *testing.T) {
	short := multibase(gzipped(t, make([]byte, MinBits/8/2)))
	bomb := multibase(gzipped(t, make([]byte, DefaultMaxBytes+1)))
	tests := []struct {
		name   string
		net    *fakeNet
		verify CredentialVerifier
		entry  any
		want   []error
	}{
		{"index out of range", world(t), parseOnly, entryObject(t, revocationEntry(MinEntries)), []error{vc.ErrRange}},
		{"purpose mismatch", world(t), parseOnly, entryObject(t, Entry{Purpose: Suspension, Index: 1, ListCredential: testListURL}), []error{ErrVerification, ErrPurposeMismatch}},
		{"too short", editedList(t, func(_, s map[string]any) { s["encodedList"] = short }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrListLength, ErrListTooShort}},
		{"too few entries of the size", world(t), parseOnly, entryObject(t, Entry{Purpose: Revocation, Index: 1, ListCredential: testListURL, Size: 2,
			Messages: []StatusMessage{{0, "a"}, {1, "b"}, {2, "c"}, {3, "d"}}}), []error{ErrListLength}},
		{"decompression bomb", editedList(t, func(_, s map[string]any) { s["encodedList"] = bomb }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrVerification, ErrListTooLarge}},
		{"bad multibase", editedList(t, func(_, s map[string]any) { s["encodedList"] = "zH4sIAAAAAAAAA" }), parseOnly, entryObject(t, revocationEntry(1)), []error{vc.ErrMalformedValue, ErrEncoding}},
		{"expired list", editedList(t, func(d, _ map[string]any) { d["validUntil"] = "2026-06-01T11:59:59Z" }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrVerification, vc.ErrExpired}},
		{"future list", editedList(t, func(d, _ map[string]any) { d["validFrom"] = "2026-06-01T12:00:01Z" }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrVerification, vc.ErrNotYetValid}},
		{"not a list credential", editedList(t, func(d, _ map[string]any) { d["type"] = "VerifiableCredential" }), parseOnly, entryObject(t, revocationEntry(1)), []error{vc.ErrMalformedValue}},
		{"fetch failure", world(t), parseOnly, entryObject(t, Entry{Purpose: Revocation, ListCredential: "https://example.com/gone"}), []error{ErrRetrieval}},
		{"failed verification", world(t), rejectingVerifier, entryObject(t, revocationEntry(1)), []error{ErrVerification, errBadProof}},
		{"other issuer", editedList(t, func(d, _ map[string]any) { d["issuer"] = "did:example:mallory" }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrVerification, ErrIssuerMismatch}},
		{"list served at another URL", editedList(t, func(d, _ map[string]any) { d["id"] = suspensionURL }), parseOnly, entryObject(t, revocationEntry(1)), []error{ErrVerification, ErrListIDMismatch}},
		{"unsupported entry type", world(t), parseOnly, map[string]any{"type": "StatusList2021Entry", "statusListCredential": testListURL}, []error{ErrVerification, ErrUnsupported}},
		{"malformed entry", world(t), parseOnly, map[string]any{"type": EntryType, "statusPurpose": "revocation", "statusListIndex": 1, "statusListCredential": testListURL}, []error{vc.ErrMalformedValue}},
		{"no verifier", world(t), nil, entryObject(t, revocationEntry(1)), []error{ErrVerification}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := checkOne(t, tt.net, tt.verify, tt.entry, Options{})
			if len(results) != 0 {
				t.Fatalf("results %+v despite the failure", results)
			}
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Fatalf("error %v, want %v", err, want)
				}
			}
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Path, "/credentialStatus") {
				t.Fatalf("error %v: want an *Error at /credentialStatus", err)
			}
		})
	}
}

// TestCheckReportsEachEntry: one failing entry does not hide the results of the others.
func TestCheckReportsEachEntry(t *testing.T) {
	status := []any{
		entryObject(t, revocationEntry(94567)),
		entryObject(t, revocationEntry(MinEntries+5)),
		entryObject(t, messageEntry(7)),
	}
	results, err := checkOne(t, world(t), parseOnly, status, Options{})
	var e *Error
	if !errors.Is(err, vc.ErrRange) || !errors.As(err, &e) || e.Path != "/credentialStatus/1" {
		t.Fatalf("error %v: want RANGE_ERROR at /credentialStatus/1", err)
	}
	if len(results) != 2 || results[0].Position != 0 || results[1].Position != 2 || results[1].Message != "rejected" {
		t.Fatalf("results %+v", results)
	}
}

func TestCheckOptions(t *testing.T) {
	tests := []struct {
		name string
		net  *fakeNet
		opts Options
	}{
		{"trusted list issuer", editedList(t, func(d, _ map[string]any) { d["issuer"] = "did:example:status-service" }),
			Options{TrustListIssuer: func(c, l string) bool { return c == testIssuer && l == "did:example:status-service" }}},
		{"list id mismatch allowed", editedList(t, func(d, _ map[string]any) { d["id"] = testListURL + "?timestamp=2026-06-01T00:00:00Z" }),
			Options{AllowListIDMismatch: true}},
		{"list without id", editedList(t, func(d, _ map[string]any) { delete(d, "id") }), Options{}},
		{"ecosystem minimum", editedList(t, func(_, s map[string]any) { s["encodedList"] = multibase(gzipped(t, make([]byte, MinBits/8))) }),
			Options{MinEntries: 1024}},
		{"several purposes", editedList(t, func(_, s map[string]any) { s["statusPurpose"] = []any{"suspension", "revocation"} }), Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, err := checkOne(t, tt.net, parseOnly, entryObject(t, revocationEntry(94567)), tt.opts)
			if err != nil || len(results) != 1 {
				t.Fatalf("results %+v, error %v", results, err)
			}
		})
	}
}

func TestErrorProblem(t *testing.T) {
	_, err := checkOne(t, world(t), parseOnly, entryObject(t, Entry{Purpose: Revocation, ListCredential: "https://example.com/gone"}), Options{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	p := e.Problem()
	if p.Type != "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR" || p.Status != 502 || p.Pointer != "/credentialStatus" || p.Detail == "" {
		t.Fatalf("problem %+v", p)
	}
	if p := (&Error{Type: ListLengthError}).Problem(); p.Type != "https://www.w3.org/ns/credentials/status-list#STATUS_LIST_LENGTH_ERROR" || p.Status != 422 {
		t.Fatalf("problem %+v", p)
	}
}

func TestCheckTooManyEntries(t *testing.T) {
	status := make([]any, 3)
	for i := range status {
		status[i] = entryObject(t, revocationEntry(i))
	}
	net := world(t)
	if _, err := checkOne(t, net, parseOnly, status, Options{MaxEntries: 3}); err != nil {
		t.Fatal(err)
	}
	results, err := checkOne(t, net, parseOnly, append(status, entryObject(t, revocationEntry(3))), Options{MaxEntries: 3})
	if results != nil || !errors.Is(err, ErrTooManyEntries) || !errors.Is(err, ErrVerification) {
		t.Fatalf("four entries over a limit of three: %v, %v", results, err)
	}
}
