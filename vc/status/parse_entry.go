package status

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// IsEntry reports whether a credentialStatus object declares the BitstringStatusListEntry type;
// the other members are checked by [ParseEntry].
func IsEntry(m map[string]any) bool {
	switch t := m["type"].(type) {
	case string:
		return t == EntryType
	case []any:
		for _, x := range t {
			if x == EntryType {
				return true
			}
		}
	}
	return false
}

// ParseEntry reads a credentialStatus object (as [vc.Object.Value] holds it) strictly against
// §2.1. It fails with an [*Error] of type MalformedValueError whose Path, relative to the
// object, names the offending member; of type RangeError when statusListIndex exceeds the
// largest int; or of type VerificationError wrapping [ErrUnsupported] for a statusSize above
// [MaxStatusSize] or a type other than BitstringStatusListEntry.
func ParseEntry(m map[string]any) (Entry, error) {
	if t, ok := m["type"]; !ok || (t != EntryType && !isSingle(t, EntryType)) {
		if IsEntry(m) {
			return Entry{}, malformedAt("/type", "the type of a status entry must be BitstringStatusListEntry alone")
		}
		return Entry{}, newError(VerificationError, "/type", ErrUnsupported, "the type is not BitstringStatusListEntry")
	}
	var e Entry
	var err error
	for _, read := range entryReaders {
		if err = read(&e, m); err != nil {
			return Entry{}, err
		}
	}
	return e, e.Validate()
}

var entryReaders = []func(*Entry, map[string]any) error{
	readEntryStrings, readEntryIndex, readEntrySize, readEntryMessages, readEntryReferences,
}

func readEntryStrings(e *Entry, m map[string]any) error {
	var ok bool
	if v, present := m["id"]; present {
		if e.ID, ok = v.(string); !ok {
			return malformedAt("/id", "id must be a URL string")
		}
	}
	p, ok := m["statusPurpose"].(string)
	if !ok {
		return malformedAt("/statusPurpose", "statusPurpose must be a string")
	}
	e.Purpose = Purpose(p)
	if e.ListCredential, ok = m["statusListCredential"].(string); !ok {
		return malformedAt("/statusListCredential", "statusListCredential must be a URL string")
	}
	return nil
}

// readEntryIndex: §2.1 "The statusListIndex property MUST be an arbitrary size integer greater
// than or equal to 0, expressed as a string in base 10." Only ASCII digits are accepted (no
// sign, no space); an index too large for an int can lie in no list this package accepts and
// is a RANGE_ERROR, as an index outside the list is (§3.2).
func readEntryIndex(e *Entry, m map[string]any) error {
	s, ok := m["statusListIndex"].(string)
	if !ok || s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return malformedAt("/statusListIndex", "statusListIndex must be a base-10 integer string")
	}
	n, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		return newError(RangeError, "/statusListIndex", nil, "statusListIndex "+quote(s)+" is too large")
	}
	e.Index = int(n)
	return nil
}

// readEntrySize: "If present, statusSize MUST be an integer greater than zero."
func readEntrySize(e *Entry, m map[string]any) error {
	v, ok := m["statusSize"]
	if !ok {
		return nil
	}
	n, ok := integer(v)
	if !ok || n < 1 {
		return malformedAt("/statusSize", "statusSize must be an integer greater than zero")
	}
	if n > MaxStatusSize {
		return newError(VerificationError, "/statusSize", ErrUnsupported, fmt.Sprintf("statusSize %d exceeds %d bits", n, MaxStatusSize))
	}
	e.Size = int(n)
	return nil
}

// readEntryMessages: "If present, the statusMessage property MUST be an array … each element
// MUST contain the two properties described below, and MAY contain additional properties":
// status, "a string representing the hexadecimal value of the status prefixed with 0x", and
// message, a string.
func readEntryMessages(e *Entry, m map[string]any) error {
	v, ok := m["statusMessage"]
	if !ok {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return malformedAt("/statusMessage", "statusMessage must be an array")
	}
	if len(items) > 1<<MaxStatusSize {
		return malformedAt("/statusMessage", "statusMessage has too many items")
	}
	e.Messages = make([]StatusMessage, len(items))
	for i, item := range items {
		sm, err := statusMessage(item)
		if err != nil {
			return malformedAt(fmt.Sprintf("/statusMessage/%d", i), err.Error())
		}
		e.Messages[i] = sm
	}
	return nil
}

func statusMessage(item any) (StatusMessage, error) {
	obj, ok := item.(map[string]any)
	if !ok {
		return StatusMessage{}, fmt.Errorf("a statusMessage item must be an object")
	}
	s, _ := obj["status"].(string)
	hex, ok := strings.CutPrefix(s, "0x")
	if !ok || hex == "" || len(hex) > 16 || strings.TrimLeft(hex, "0123456789abcdefABCDEF") != "" {
		return StatusMessage{}, fmt.Errorf("status must be a 0x-prefixed hexadecimal string")
	}
	msg, ok := obj["message"].(string)
	if !ok {
		return StatusMessage{}, fmt.Errorf("message must be a string")
	}
	v, _ := strconv.ParseUint(hex, 16, 64) // at most 16 hexadecimal digits: cannot fail
	return StatusMessage{Status: v, Message: msg}, nil
}

// readEntryReferences: "If present, its value MUST be a URL or an array of URLs."
func readEntryReferences(e *Entry, m map[string]any) error {
	v, ok := m["statusReference"]
	if !ok {
		return nil
	}
	if s, isString := v.(string); isString {
		e.References = []string{s}
		return nil
	}
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return malformedAt("/statusReference", "statusReference must be a URL or an array of URLs")
	}
	for i, item := range items {
		s, ok := item.(string)
		if !ok {
			return malformedAt(fmt.Sprintf("/statusReference/%d", i), "statusReference must be a URL")
		}
		e.References = append(e.References, s)
	}
	return nil
}

func isSingle(v any, s string) bool {
	a, ok := v.([]any)
	return ok && len(a) == 1 && a[0] == s
}

// integer reads a JSON integer: a json.Number literal of digits (as internal/jsonin decodes
// numbers) or a Go integer or integral float64 (as a document built in memory holds them).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		s := string(n)
		if strings.TrimLeft(strings.TrimPrefix(s, "-"), "0123456789") != "" {
			return 0, false
		}
		i, err := strconv.ParseInt(s, 10, 64)
		return i, err == nil
	case int:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

// isURL reports whether s is an absolute URL without spaces or control characters, with a host
// when it is an http or https URL (the check VC Data Model 2.0 applies to id values).
func isURL(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || len(s) == len(u.Scheme)+1 {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	}
	return true
}

func quote(s string) string {
	const limit = 32
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return strconv.Quote(s)
}
