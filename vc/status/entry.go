package status

import (
	"fmt"
	"strconv"
)

// Purpose is a statusPurpose value. The Recommendation lets the value be any string but fixes
// the meaning of the four below (§2.1).
type Purpose string

// The status purposes of §2.1.
const (
	Revocation Purpose = "revocation" // the credential is cancelled; not reversible
	Suspension Purpose = "suspension" // the credential is temporarily not accepted; reversible
	Refresh    Purpose = "refresh"    // an updated credential is available from its refresh service
	Message    Purpose = "message"    // the status is one of the entry's statusMessage values
)

// Type names of the data model (§2.1, §2.2).
const (
	EntryType          = "BitstringStatusListEntry"
	ListCredentialType = "BitstringStatusListCredential"
	ListType           = "BitstringStatusList"
)

// StatusMessage is one item of an entry's statusMessage array (§2.1): a status value, written
// "0x" and hexadecimal in JSON, and a message for software developers ("which SHOULD NOT be
// displayed to end users").
type StatusMessage struct {
	Status  uint64
	Message string
}

// Entry is a BitstringStatusListEntry, the credentialStatus value that points a credential at
// its position in a status list (§2.1). Build one as a literal and publish it with
// [Entry.Object], or read one with [ParseEntry].
type Entry struct {
	ID             string  // optional; a URL that is not the list's URL
	Purpose        Purpose // required
	Index          int     // statusListIndex, written as a base-10 string
	ListCredential string  // statusListCredential: the URL of the BitstringStatusListCredential
	// Size is statusSize in bits; 0 is read as 1 ("If statusSize is not present … statusSize
	// MUST be processed as 1").
	Size int
	// Messages is statusMessage: absent (nil), or one message for each of the 2^Size values,
	// which is required when Size is above 1.
	Messages   []StatusMessage
	References []string // statusReference URLs; optional
}

// StatusSize returns e.Size, or 1 when it is zero.
func (e Entry) StatusSize() int {
	if e.Size == 0 {
		return 1
	}
	return e.Size
}

// Message returns the message for status value v: the entry's statusMessage item for v, or,
// without statusMessage, "unset" for 0 and "set" for 1 (§2.1: "If the statusMessage array is
// not present, the message values associated with the status bit values of 1 and 0 are "set"
// and "unset", respectively").
func (e Entry) Message(v uint64) string {
	for _, m := range e.Messages {
		if m.Status == v {
			return m.Message
		}
	}
	if e.Messages == nil && v <= 1 {
		return [...]string{"unset", "set"}[v]
	}
	return ""
}

// Validate checks every MUST of §2.1 that a value of Entry can break. It fails with an [*Error]
// of type MalformedValueError whose Path names the offending member, or of type
// VerificationError wrapping [ErrUnsupported] for a statusSize above [MaxStatusSize].
func (e Entry) Validate() error {
	if e.Purpose == "" {
		return malformedAt("/statusPurpose", "statusPurpose must be a non-empty string")
	}
	if e.Index < 0 {
		return malformedAt("/statusListIndex", "statusListIndex must be a non-negative integer")
	}
	if !isURL(e.ListCredential) {
		return malformedAt("/statusListCredential", "statusListCredential must be a URL")
	}
	if e.ID != "" && !isURL(e.ID) {
		return malformedAt("/id", "id must be a URL")
	}
	if e.ID != "" && e.ID == e.ListCredential {
		return malformedAt("/id", "id must not be the URL of the status list (§2.1)")
	}
	if err := checkSize(e.Size); err != nil {
		return err
	}
	if err := checkMessages(e.Messages, e.StatusSize()); err != nil {
		return err
	}
	for i, r := range e.References {
		if !isURL(r) {
			return malformedAt(fmt.Sprintf("/statusReference/%d", i), "statusReference must be a URL")
		}
	}
	return nil
}

func checkSize(size int) error {
	switch {
	case size < 0:
		return malformedAt("/statusSize", "statusSize must be an integer greater than zero")
	case size > MaxStatusSize:
		return newError(VerificationError, "/statusSize", ErrUnsupported, fmt.Sprintf("statusSize %d exceeds %d bits", size, MaxStatusSize))
	}
	return nil
}

// checkMessages: §2.1 "If statusSize is provided and is greater than 1, then the property
// credentialStatus.statusMessage MUST be present, and the number of status messages MUST equal
// the number of possible values." Each possible value must have exactly one message.
func checkMessages(msgs []StatusMessage, size int) error {
	if msgs == nil {
		if size > 1 {
			return malformedAt("/statusMessage", "statusMessage is required when statusSize is greater than 1")
		}
		return nil
	}
	if len(msgs) != 1<<size {
		return malformedAt("/statusMessage", fmt.Sprintf("statusMessage must have %d items for statusSize %d, not %d", 1<<size, size, len(msgs)))
	}
	seen := make([]bool, 1<<size)
	for i, m := range msgs {
		if m.Status >= uint64(len(seen)) || seen[m.Status] {
			return malformedAt(fmt.Sprintf("/statusMessage/%d/status", i), fmt.Sprintf("status %#x is out of range or repeated", m.Status))
		}
		seen[m.Status] = true
	}
	return nil
}

// Object returns e as the JSON object of a credentialStatus member, after [Entry.Validate].
// statusSize is written when it is not 1.
func (e Entry) Object() (map[string]any, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	m := map[string]any{
		"type":                 EntryType,
		"statusPurpose":        string(e.Purpose),
		"statusListIndex":      strconv.Itoa(e.Index),
		"statusListCredential": e.ListCredential,
	}
	if e.ID != "" {
		m["id"] = e.ID
	}
	if e.StatusSize() != 1 {
		m["statusSize"] = e.StatusSize()
	}
	if e.Messages != nil {
		items := make([]any, len(e.Messages))
		for i, sm := range e.Messages {
			items[i] = map[string]any{"status": "0x" + strconv.FormatUint(sm.Status, 16), "message": sm.Message}
		}
		m["statusMessage"] = items
	}
	switch len(e.References) {
	case 0:
	case 1:
		m["statusReference"] = e.References[0]
	default:
		refs := make([]any, len(e.References))
		for i, r := range e.References {
			refs[i] = r
		}
		m["statusReference"] = refs
	}
	return m, nil
}

func malformedAt(path, detail string) *Error {
	return newError(MalformedValueError, path, nil, detail)
}
