package jcs

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// TestNumberAppendixB checks every finite sample of RFC 8785 Appendix B
// ("Number Serialization Samples"), given there as IEEE-754 bit patterns.
func TestNumberAppendixB(t *testing.T) {
	tests := []struct{ bits, want string }{
		{"0000000000000000", "0"},
		{"8000000000000000", "0"}, // minus zero
		{"0000000000000001", "5e-324"},
		{"8000000000000001", "-5e-324"},
		{"7fefffffffffffff", "1.7976931348623157e+308"},
		{"ffefffffffffffff", "-1.7976931348623157e+308"},
		{"4340000000000000", "9007199254740992"},
		{"c340000000000000", "-9007199254740992"},
		{"4430000000000000", "295147905179352830000"},
		{"44b52d02c7e14af5", "9.999999999999997e+22"},
		{"44b52d02c7e14af6", "1e+23"},
		{"44b52d02c7e14af7", "1.0000000000000001e+23"},
		{"444b1ae4d6e2ef4e", "999999999999999700000"},
		{"444b1ae4d6e2ef4f", "999999999999999900000"},
		{"444b1ae4d6e2ef50", "1e+21"},
		{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
		{"3eb0c6f7a0b5ed8d", "0.000001"},
		{"41b3de4355555553", "333333333.3333332"},
		{"41b3de4355555554", "333333333.33333325"},
		{"41b3de4355555555", "333333333.3333333"},
		{"41b3de4355555556", "333333333.3333334"},
		{"41b3de4355555557", "333333333.33333343"},
		{"becbf647612f3696", "-0.0000033333333333333333"},
		{"43143ff3c1cb0959", "1424953923781206.2"},
	}
	for _, tt := range tests {
		t.Run(tt.bits, func(t *testing.T) {
			raw, err := hex.DecodeString(tt.bits)
			if err != nil {
				t.Fatal(err)
			}
			f := math.Float64frombits(binary.BigEndian.Uint64(raw))
			if got := string(appendNumber(nil, f)); got != tt.want {
				t.Errorf("appendNumber(%s) = %s, want %s", tt.bits, got, tt.want)
			}
		})
	}
}

// TestNumberLiterals checks number texts as they appear in JSON input,
// including the RFC 8785 section 3.2.2 example and the ECMAScript notation
// boundaries (21 integer digits, exponent -7).
func TestNumberLiterals(t *testing.T) {
	tests := []struct{ in, want string }{
		{"333333333.33333329", "333333333.3333333"},
		{"1E30", "1e+30"},
		{"4.50", "4.5"},
		{"2e-3", "0.002"},
		{"0.000000000000000000000000001", "1e-27"},
		{"1e21", "1e+21"},
		{"1e20", "100000000000000000000"},
		{"123456789012345678901", "123456789012345680000"},
		{"1e-7", "1e-7"},
		{"1.5e-7", "1.5e-7"},
		{"0.000001", "0.000001"},
		{"0.0000015", "0.0000015"},
		{"-0", "0"},
		{"-0.0e5", "0"},
		{"9007199254740991", "9007199254740991"},
		{"9007199254740993", "9007199254740992"}, // nearest double
		{"1e-400", "0"},                          // underflow rounds to zero, as in JSON.parse
		{"-12.5e1", "-125"},
		{"10", "10"},
		{"0.1", "0.1"},
		{"5e-324", "5e-324"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Transform([]byte(tt.in))
			if err != nil {
				t.Fatalf("Transform(%s): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("Transform(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
