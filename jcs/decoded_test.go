package jcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

var jcsSeeds = []string{
	`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
		`"issuer":{"id":"did:key:z6Mk","name":"Issuer"},"credentialSubject":{"id":"did:example:1","age":42.5}}`,
	`{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7,"\ud83d\ude02":8}`,
	`[56,{"d":true,"10":null,"1":[]}]`,
	`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-0,1e21,9007199254740993]}`,
	`{"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/\b\f\t\u007f\u2028"}`,
}

// TestAppendValue checks the encoder of decoded values against Transform.
func TestAppendValue(t *testing.T) {
	for _, s := range jcsSeeds {
		checkAppendValue(t, []byte(s))
	}
}

// FuzzAppendValue: for any JSON text jsonin accepts, AppendValue of the decoded
// value equals Transform of the text.
func FuzzAppendValue(f *testing.F) {
	for _, s := range jcsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkAppendValue)
}

func checkAppendValue(t *testing.T, in []byte) {
	v, err := jsonin.Decode(in, jsonin.Options{})
	if err != nil {
		return
	}
	want, err := Transform(in)
	if err != nil {
		return
	}
	got, err := AppendValue(nil, v)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AppendValue(%s) = %s (%v), want %s", in, got, err, want)
	}
}

func TestAppendValueErrors(t *testing.T) {
	deep := any("x")
	for range DefaultMaxDepth + 1 {
		deep = []any{deep}
	}
	for _, c := range []struct {
		name string
		v    any
		want error
	}{
		{"invalid UTF-8 value", "\xff", ErrInvalidString},
		{"invalid UTF-8 name", map[string]any{"\xff": 1}, ErrInvalidString},
		{"too deep", deep, ErrTooDeep},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := AppendValue(nil, c.v); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// TestAppendValueNumbers checks the direct path of json.Number against Marshal, which
// AppendValue used for every number before: same bytes, same errors.
func TestAppendValueNumbers(t *testing.T) {
	for _, n := range []string{"0", "-0", "1", "-1.50", "2.5e3", "1E-7", "1e+21", "1e400", "-1e400",
		"1e-400", "9007199254740993", "333333333.33333329", "", "01", "1.", ".5", "+1", "1e", "0x10",
		" 1", "1 ", "-", "NaN", "1.5e+", "00"} {
		t.Run(n, func(t *testing.T) {
			want, wantErr := Marshal(json.Number(n))
			got, err := AppendValue(nil, json.Number(n))
			if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
				t.Fatalf("err = %v, want %v", err, wantErr)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendValue = %s, want %s", got, want)
			}
			if wantErr != nil && errors.Is(wantErr, ErrNumber) && !errors.Is(err, ErrNumber) {
				t.Fatalf("err = %v, want ErrNumber", err)
			}
		})
	}
}
