package vc

import (
	"testing"
)

// BenchmarkParseCredential parses baseCredential (about 2 KB with whitespace).
func BenchmarkParseCredential(b *testing.B) {
	data := []byte(baseCredential)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCredential(data, ParseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
