package status

import (
	"errors"
	"maps"
	"reflect"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestParseSpecEntries(t *testing.T) {
	c, err := vc.ParseCredential([]byte(specCredential), vc.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{ID: "https://example.com/credentials/status/3#94567", Purpose: Revocation, Index: 94567, ListCredential: testListURL},
		{ID: "https://example.com/credentials/status/4#23452", Purpose: Suspension, Index: 23452, ListCredential: "https://example.com/credentials/status/4"},
	}
	for i, obj := range c.Status() {
		got, err := ParseEntry(obj.Value)
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("entry %d = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestParseSpecMessageEntry(t *testing.T) {
	e, err := ParseEntry(decodeJSON(t, specMessageEntry))
	if err != nil {
		t.Fatal(err)
	}
	if e.Purpose != Message || e.StatusSize() != 2 || len(e.Messages) != 4 || e.References[0] != "https://example.org/status-dictionary/" {
		t.Fatalf("parsed %+v", e)
	}
	for v, want := range []string{"pending_review", "accepted", "rejected", "undefined"} {
		if got := e.Message(uint64(v)); got != want {
			t.Fatalf("Message(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestMessageDefaults(t *testing.T) {
	e := Entry{Purpose: Revocation, ListCredential: testListURL}
	if e.Message(0) != "unset" || e.Message(1) != "set" {
		t.Fatalf(`without statusMessage, 0 and 1 must read "unset" and "set" (§2.1)`)
	}
}

// TestEntryViolations breaks one MUST of §2.1 at a time.
func TestEntryViolations(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
		want error
		path string
	}{
		{"other type", func(m map[string]any) { m["type"] = "StatusList2021Entry" }, ErrUnsupported, "/type"},
		{"extra type", func(m map[string]any) { m["type"] = []any{EntryType, "Other"} }, vc.ErrMalformedValue, "/type"},
		{"no purpose", func(m map[string]any) { delete(m, "statusPurpose") }, vc.ErrMalformedValue, "/statusPurpose"},
		{"empty purpose", func(m map[string]any) { m["statusPurpose"] = "" }, vc.ErrMalformedValue, "/statusPurpose"},
		{"numeric index", func(m map[string]any) { m["statusListIndex"] = 94567.0 }, vc.ErrMalformedValue, "/statusListIndex"},
		{"negative index", func(m map[string]any) { m["statusListIndex"] = "-1" }, vc.ErrMalformedValue, "/statusListIndex"},
		{"signed index", func(m map[string]any) { m["statusListIndex"] = "+1" }, vc.ErrMalformedValue, "/statusListIndex"},
		{"hex index", func(m map[string]any) { m["statusListIndex"] = "0x10" }, vc.ErrMalformedValue, "/statusListIndex"},
		{"empty index", func(m map[string]any) { m["statusListIndex"] = "" }, vc.ErrMalformedValue, "/statusListIndex"},
		{"huge index", func(m map[string]any) { m["statusListIndex"] = "99999999999999999999999" }, vc.ErrRange, "/statusListIndex"},
		{"no list URL", func(m map[string]any) { delete(m, "statusListCredential") }, vc.ErrMalformedValue, "/statusListCredential"},
		{"relative list URL", func(m map[string]any) { m["statusListCredential"] = "/status/3" }, vc.ErrMalformedValue, "/statusListCredential"},
		{"id is the list URL", func(m map[string]any) { m["id"] = m["statusListCredential"] }, vc.ErrMalformedValue, "/id"},
		{"id not a URL", func(m map[string]any) { m["id"] = "entry 7" }, vc.ErrMalformedValue, "/id"},
		{"size zero", func(m map[string]any) { m["statusSize"] = 0.0 }, vc.ErrMalformedValue, "/statusSize"},
		{"size fraction", func(m map[string]any) { m["statusSize"] = 1.5 }, vc.ErrMalformedValue, "/statusSize"},
		{"size string", func(m map[string]any) { m["statusSize"] = "2" }, vc.ErrMalformedValue, "/statusSize"},
		{"size too large", func(m map[string]any) { m["statusSize"] = 17.0 }, ErrUnsupported, "/statusSize"},
		{"size 2 without messages", func(m map[string]any) { delete(m, "statusMessage") }, vc.ErrMalformedValue, "/statusMessage"},
		{"too few messages", func(m map[string]any) { m["statusMessage"] = m["statusMessage"].([]any)[:3] }, vc.ErrMalformedValue, "/statusMessage"},
		{"messages for size 1", func(m map[string]any) { m["statusSize"] = 1.0 }, vc.ErrMalformedValue, "/statusMessage"},
		{"message not array", func(m map[string]any) { m["statusMessage"] = map[string]any{} }, vc.ErrMalformedValue, "/statusMessage"},
		{"status without 0x", func(m map[string]any) { msg(m, 1)["status"] = "1" }, vc.ErrMalformedValue, "/statusMessage/1"},
		{"status not hex", func(m map[string]any) { msg(m, 1)["status"] = "0xg" }, vc.ErrMalformedValue, "/statusMessage/1"},
		{"status repeated", func(m map[string]any) { msg(m, 1)["status"] = "0x0" }, vc.ErrMalformedValue, "/statusMessage/1/status"},
		{"status out of range", func(m map[string]any) { msg(m, 3)["status"] = "0x4" }, vc.ErrMalformedValue, "/statusMessage/3/status"},
		{"message missing", func(m map[string]any) { delete(msg(m, 2), "message") }, vc.ErrMalformedValue, "/statusMessage/2"},
		{"reference not URL", func(m map[string]any) { m["statusReference"] = "dictionary" }, vc.ErrMalformedValue, "/statusReference/0"},
		{"empty reference array", func(m map[string]any) { m["statusReference"] = []any{} }, vc.ErrMalformedValue, "/statusReference"},
		{"reference item not string", func(m map[string]any) { m["statusReference"] = []any{1.0} }, vc.ErrMalformedValue, "/statusReference/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeJSON(t, specMessageEntry)
			tt.edit(m)
			_, err := ParseEntry(m)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != tt.path {
				t.Fatalf("error %v: path %q, want %q", err, e.Path, tt.path)
			}
		})
	}
}

func msg(m map[string]any, i int) map[string]any {
	return m["statusMessage"].([]any)[i].(map[string]any)
}

func TestEntryAccepts(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
	}{
		{"no id", func(m map[string]any) { delete(m, "id") }},
		{"type in an array", func(m map[string]any) { m["type"] = []any{EntryType} }},
		{"leading zeros", func(m map[string]any) { m["statusListIndex"] = "000492847" }},
		{"arbitrary purpose", func(m map[string]any) { m["statusPurpose"] = "https://purpose.example/audit" }},
		{"leading zero hex", func(m map[string]any) { msg(m, 2)["status"] = "0x02" }},
		{"extra message members", func(m map[string]any) { msg(m, 0)["note"] = "kept" }},
		{"reference array", func(m map[string]any) { m["statusReference"] = []any{"https://a.example/", "https://b.example/"} }},
		{"no reference", func(m map[string]any) { delete(m, "statusReference") }},
		{"shuffled messages", func(m map[string]any) {
			a := m["statusMessage"].([]any)
			a[0], a[3] = a[3], a[0]
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeJSON(t, specMessageEntry)
			tt.edit(m)
			if _, err := ParseEntry(m); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestEntryObjectRoundTrip: Object writes what ParseEntry reads back unchanged.
func TestEntryObjectRoundTrip(t *testing.T) {
	entries := []Entry{
		{Purpose: Revocation, Index: 0, ListCredential: testListURL},
		{ID: "urn:uuid:5e3c3c1a-0f5a-4c55-9d0c-0c7e4ad4b6f9", Purpose: Suspension, Index: 131071, ListCredential: testListURL},
		{Purpose: Message, Index: 7, ListCredential: testListURL, Size: 2, Messages: []StatusMessage{
			{0, "pending"}, {1, "accepted"}, {2, "rejected"}, {3, "undefined"}},
			References: []string{"https://a.example/", "https://b.example/"}},
		{Purpose: Refresh, Index: 9, ListCredential: testListURL, Size: 1, Messages: []StatusMessage{{1, "fresh"}, {1, "stale"}}},
	}
	for i, e := range entries {
		m, err := e.Object()
		if i == 3 {
			if !errors.Is(err, vc.ErrMalformedValue) {
				t.Fatalf("repeated status value accepted: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseEntry(maps.Clone(m))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Fatalf("entry %d: round trip %+v, want %+v", i, back, e)
		}
	}
}

func TestStatusMessageHex(t *testing.T) {
	for in, want := range map[string]uint64{"0x0": 0, "0xA": 10, "0xff": 255, "0x00000001": 1} {
		sm, err := statusMessage(map[string]any{"status": in, "message": "m"})
		if err != nil || sm.Status != want {
			t.Fatalf("status %q read as %d, %v; want %d", in, sm.Status, err, want)
		}
	}
	for _, in := range []string{"0X1", "1", "0x", "0x-1", "0x1 ", "0x10000000000000000"} {
		if _, err := statusMessage(map[string]any{"status": in, "message": "m"}); err == nil {
			t.Fatalf("status %q accepted", in)
		}
	}
}

func TestEntryValidate(t *testing.T) {
	base := Entry{Purpose: Revocation, Index: 1, ListCredential: testListURL}
	tests := []struct {
		name string
		edit func(e *Entry)
		want error
	}{
		{"valid", func(*Entry) {}, nil},
		{"negative index", func(e *Entry) { e.Index = -1 }, vc.ErrMalformedValue},
		{"negative size", func(e *Entry) { e.Size = -1 }, vc.ErrMalformedValue},
		{"size too large", func(e *Entry) { e.Size = MaxStatusSize + 1 }, ErrUnsupported},
		{"no purpose", func(e *Entry) { e.Purpose = "" }, vc.ErrMalformedValue},
		{"bad reference", func(e *Entry) { e.References = []string{"x"} }, vc.ErrMalformedValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.edit(&e)
			if err := e.Validate(); !errors.Is(err, tt.want) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}
