package claims

import (
	"encoding/json"
	"testing"
)

// FuzzInteger checks that Integer never panics and that what it accepts from a JSON number
// literal (the only json.Number the decoders produce) is in range and equal to its value.
func FuzzInteger(f *testing.F) {
	for _, s := range []string{"0", "42", "10.0", "1e1", "-7", "1.5", "1e300", "9007199254740993", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var f float64
		valid := json.Unmarshal([]byte(s), &f) == nil
		o := Object{Path: "", Members: map[string]any{"n": json.Number(s)}}
		n, err := o.Integer("n", -1000, 1000)
		if err != nil || !valid {
			return
		}
		if n < -1000 || n > 1000 {
			t.Fatalf("Integer(%q) = %d, out of range", s, n)
		}
		if f != float64(n) {
			t.Fatalf("Integer(%q) = %d, not the value of a JSON number", s, n)
		}
	})
}
