package jsonld

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/piprate/json-gold/ld"
)

func TestLiteralNumbers(t *testing.T) {
	tests := []struct {
		name     string
		value    any
		datatype string
		want     ld.Literal
	}{
		{"integer", 7.0, "", ld.NewLiteral("7", ld.XSDInteger, "")},
		{"negative zero", math.Copysign(0, -1), "", ld.NewLiteral("0", ld.XSDInteger, "")},
		{"integer above 2^63", 1e19, "", ld.NewLiteral("10000000000000000000", ld.XSDInteger, "")},
		{"10^21 is a double", 1e21, "", ld.NewLiteral("1.0E21", ld.XSDDouble, "")},
		{"fraction", 0.125, "", ld.NewLiteral("1.25E-1", ld.XSDDouble, "")},
		{"integer typed double", 3.0, ld.XSDDouble, ld.NewLiteral("3.0E0", ld.XSDDouble, "")},
		{"fraction typed decimal", 2.5, ld.XSDNS + "decimal", ld.NewLiteral("2.5E0", ld.XSDNS+"decimal", "")},
		{"json.Number", json.Number("42"), "", ld.NewLiteral("42", ld.XSDInteger, "")},
		{"boolean", true, "", ld.NewLiteral("true", ld.XSDBoolean, "")},
		{"json boolean", false, "@json", ld.NewLiteral("false", ld.RDFJSONLiteral, "")},
		{"json object", map[string]any{"b": 1.0, "a": "<"}, "@json", ld.NewLiteral(`{"a":"<","b":1}`, ld.RDFJSONLiteral, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := map[string]any{"@value": tt.value}
			if tt.datatype != "" {
				v["@type"] = tt.datatype
			}
			got, err := literal(v)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("literal(%v) = %#v, want %#v", tt.value, got, tt.want)
			}
		})
	}
}
