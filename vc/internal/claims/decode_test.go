package claims

import (
	"errors"
	"strings"
	"testing"

	"github.com/kakunin-dev/kakunin/vc"
)

func TestDecode(t *testing.T) {
	if v, err := Decode([]byte(`{"a":[1]}`)); err != nil || v.(map[string]any)["a"] == nil {
		t.Fatalf("Decode = %v, %v", v, err)
	}
	for name, data := range map[string]string{
		"duplicate member": `{"a":1,"a":2}`,
		"too deep":         strings.Repeat("[", 17) + strings.Repeat("]", 17),
		"too large":        `"` + strings.Repeat("a", 256<<10) + `"`,
		"trailing data":    `{} {}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode([]byte(data)); !errors.Is(err, vc.ErrParsing) {
				t.Fatalf("error = %v, want a parsing error", err)
			}
		})
	}
}
