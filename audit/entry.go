package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kakunin-dev/kakunin/jcs"
)

// MaxEntrySize bounds the canonical encoding of one entry, and MaxFieldSize each
// of its text fields.
const (
	MaxEntrySize = 8 << 10
	MaxFieldSize = 1 << 10
)

// EventType names the kind of state change an entry records: lower-case dotted
// words, such as [CertIssued].
type EventType string

// The event types kakunin logs. Other packages may add types of the same shape.
const (
	OwnerCreated     EventType = "owner.created"
	CertIssued       EventType = "cert.issued"
	CertRenewed      EventType = "cert.renewed"
	CertRevoked      EventType = "cert.revoked"
	DIDDeactivated   EventType = "did.deactivated"
	ChainPublished   EventType = "chain.published"
	CredentialIssued EventType = "vc.issued"
	StatusChanged    EventType = "vc.status.changed"
	IssuerKeyRotated EventType = "issuer.key.rotated"
	LogKeyRotated    EventType = "audit.key.rotated" // see [Checkpointer.RecordKeys]
	AuthzDecision    EventType = "authz.decision"
)

// Entry is one audit record. It names who did what to whom and when, and commits
// to the changed data by digest only: never put secrets, keys or personal data in
// an entry.
type Entry struct {
	Type    EventType // required
	Time    time.Time // required; encoded in UTC with nanoseconds, trailing zeros trimmed
	Actor   string    // required: who acted (a DID, a client or account identifier, "system")
	Tenant  string    // required: the owner (tenant) the change belongs to
	Subject string    // optional: the subject DID ("did:…")
	Digest  Digest    // required: digest of what changed, see [SHA256]
}

// Digest is "<algorithm>:<lowercase hex>" with algorithm sha-256, sha-384 or
// sha-512 (IANA hash function textual names).
type Digest string

// SHA256 returns the sha-256 [Digest] of data.
func SHA256(data []byte) Digest {
	sum := sha256.Sum256(data)
	return Digest("sha-256:" + hex.EncodeToString(sum[:]))
}

var digestHexLen = map[string]int{"sha-256": 64, "sha-384": 96, "sha-512": 128}

func (d Digest) valid() bool {
	alg, h, ok := strings.Cut(string(d), ":")
	if !ok || digestHexLen[alg] != len(h) {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// wireEntry is the JSON shape of an entry; "v" versions the record format.
type wireEntry struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Time    string `json:"time"`
	Actor   string `json:"actor"`
	Tenant  string `json:"tenant"`
	Subject string `json:"subject,omitempty"`
	Digest  string `json:"digest"`
}

const entryVersion = 1

// Validate reports whether e can be logged, as an [ErrInvalidEntry].
func (e Entry) Validate() error {
	if !validEventType(string(e.Type)) {
		return fmt.Errorf("%w: event type %q", ErrInvalidEntry, e.Type)
	}
	if e.Time.IsZero() || e.Time.UTC().Year() > 9999 || e.Time.UTC().Year() < 1 {
		return fmt.Errorf("%w: time outside years 1-9999", ErrInvalidEntry)
	}
	for _, f := range []struct{ name, v string }{{"actor", e.Actor}, {"tenant", e.Tenant}} {
		if f.v == "" {
			return fmt.Errorf("%w: empty %s", ErrInvalidEntry, f.name)
		}
	}
	for _, f := range []struct{ name, v string }{{"actor", e.Actor}, {"tenant", e.Tenant}, {"subject", e.Subject}} {
		if !validText(f.v) {
			return fmt.Errorf("%w: %s is not printable UTF-8 of at most %d bytes", ErrInvalidEntry, f.name, MaxFieldSize)
		}
	}
	if e.Subject != "" && !strings.HasPrefix(e.Subject, "did:") {
		return fmt.Errorf("%w: subject is not a DID", ErrInvalidEntry)
	}
	if !e.Digest.valid() {
		return fmt.Errorf("%w: digest %q", ErrInvalidEntry, e.Digest)
	}
	return nil
}

func validEventType(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || !strings.Contains(s, ".") {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '.' && s[i-1] != '.') {
			return false
		}
	}
	return true
}

func validText(s string) bool {
	return len(s) <= MaxFieldSize && utf8.ValidString(s) &&
		strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0
}

// Encode returns the canonical (RFC 8785) JSON of e: the bytes that are stored,
// hashed into the tree and exported.
func (e Entry) Encode() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return canonical(wireEntry{
		V: entryVersion, Type: string(e.Type), Time: e.Time.UTC().Format(time.RFC3339Nano),
		Actor: e.Actor, Tenant: e.Tenant, Subject: e.Subject, Digest: string(e.Digest),
	})
}

// canonical is the one place that chooses the JSON canonicalization.
func canonical(v any) ([]byte, error) {
	return jcs.Marshal(v)
}

// ParseEntry decodes the canonical encoding of an entry. It rejects unknown
// members, invalid entries and any encoding other than the canonical one, so
// one entry has exactly one leaf hash.
func ParseEntry(data []byte) (Entry, error) {
	if len(data) > MaxEntrySize {
		return Entry{}, fmt.Errorf("%w: %d bytes exceeds %d", ErrInvalidEntry, len(data), MaxEntrySize)
	}
	var w wireEntry
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrInvalidEntry, err)
	}
	if w.V != entryVersion {
		return Entry{}, fmt.Errorf("%w: version %d", ErrInvalidEntry, w.V)
	}
	t, err := time.Parse(time.RFC3339Nano, w.Time)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: time: %v", ErrInvalidEntry, err)
	}
	e := Entry{Type: EventType(w.Type), Time: t, Actor: w.Actor, Tenant: w.Tenant, Subject: w.Subject, Digest: Digest(w.Digest)}
	again, err := e.Encode()
	if err != nil {
		return Entry{}, err
	}
	if !bytes.Equal(again, data) {
		return Entry{}, fmt.Errorf("%w: not the canonical encoding", ErrInvalidEntry)
	}
	return e, nil
}
