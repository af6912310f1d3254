package dataintegrity

import (
	"bytes"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
	"github.com/kakunin-dev/kakunin/jcs"
)

var jcsSeeds = []string{
	credentialJSON,
	`{"\u20ac":1,"\r":2,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u0080":6,"\u00f6":7,"\ud83d\ude02":8}`,
	`[56,{"d":true,"10":null,"1":[]}]`,
	`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-0,1e21,9007199254740993]}`,
	`{"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/\b\f\t\u007f\u2028"}`,
}

// TestMarshalJCS checks the direct canonical encoder against jcs.Transform.
func TestMarshalJCS(t *testing.T) {
	for _, s := range jcsSeeds {
		checkMarshalJCS(t, []byte(s))
	}
}

// FuzzMarshalJCS: for any JSON text jsonin accepts, marshalJCS of the decoded
// value equals jcs.Transform of the text.
func FuzzMarshalJCS(f *testing.F) {
	for _, s := range jcsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkMarshalJCS)
}

func checkMarshalJCS(t *testing.T, in []byte) {
	v, err := jsonin.Decode(in, jsonin.Options{})
	if err != nil {
		return
	}
	want, err := jcs.Transform(in)
	if err != nil {
		return
	}
	got, err := marshalJCS(v)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("marshalJCS(%s) = %s (%v), want %s", in, got, err, want)
	}
}
