package vc

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestProblem(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Problem
	}{
		{"parsing", `{"a":1,"a":2}`, Problem{Type: string(ParsingError), Title: "Parsing error", Status: 400, Pointer: "/a",
			Detail: "jsonin: duplicate object member name at offset 7 (/a)"}},
		{"malformed", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"x"}`,
			Problem{Type: string(MalformedValueError), Title: "Malformed value", Status: 422, Pointer: "/issuer",
				Detail: "issuer must be a URL or an object whose id is a URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCredential([]byte(tt.doc), ParseOptions{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if got := e.Problem(); got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	t.Run("json members", func(t *testing.T) {
		e := &Error{Type: RangeError, Path: "/validUntil", Err: ErrExpired}
		b, err := json.Marshal(e.Problem())
		if err != nil {
			t.Fatal(err)
		}
		want := `{"type":"https://www.w3.org/TR/vc-data-model#RANGE_ERROR","title":"Range error","detail":"vc: credential expired","status":422,"pointer":"/validUntil"}`
		if string(b) != want {
			t.Fatalf("got %s", b)
		}
	})
	t.Run("error string", func(t *testing.T) {
		e := &Error{Type: CryptographicSecurityError, Path: "/relatedResource/0", Detail: "mismatch"}
		if e.Error() != "vc: cryptographic security error at /relatedResource/0: mismatch" {
			t.Fatal(e.Error())
		}
	})
}
