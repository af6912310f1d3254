package jcs_test

import (
	"fmt"

	"github.com/kakunin-dev/kakunin/jcs"
)

func ExampleTransform() {
	out, err := jcs.Transform([]byte(`{
  "validFrom": "2026-01-01T00:00:00Z",
  "amount": 1.50,
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "limit": 1e21
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"@context":["https://www.w3.org/ns/credentials/v2"],"amount":1.5,"limit":1e+21,"validFrom":"2026-01-01T00:00:00Z"}
}

func ExampleMarshal() {
	out, err := jcs.Marshal(map[string]any{"b": "<tag>", "a": []float64{0.000001, 1e-7}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"a":[0.000001,1e-7],"b":"<tag>"}
}
