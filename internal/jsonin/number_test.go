package jsonin_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-12", "1.5", "0.0", "1e5", "1E+5", "-2.5e-3", "123456789012345678901234567890"} {
		if !jsonin.ValidNumber(s) {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"", "-", "01", "+1", "1.", ".5", "1e", "1e+", "0x1", "1 ", " 1", "NaN", "Infinity", "1.5.2", "--1"} {
		if jsonin.ValidNumber(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

// FuzzValidNumber: ValidNumber agrees with encoding/json on a lone number.
func FuzzValidNumber(f *testing.F) {
	for _, s := range []string{"0", "-1.5e3", "01", "1.", "1e+", "", " 1", "1\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := json.Valid([]byte(s)) && len(s) > 0 && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') &&
			!strings.ContainsAny(s[len(s)-1:], " \t\r\n")
		if got := jsonin.ValidNumber(s); got != want {
			t.Errorf("ValidNumber(%q) = %v, encoding/json says %v", s, got, want)
		}
	})
}
