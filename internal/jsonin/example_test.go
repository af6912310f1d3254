package jsonin_test

import (
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/internal/jsonin"
)

func ExampleDecode() {
	v, err := jsonin.Decode([]byte(`{"type":["VerifiableCredential"],"n":1.50}`), jsonin.Options{})
	fmt.Println(v, err)

	_, err = jsonin.Decode([]byte(`{"id":"a","id":"b"}`), jsonin.Options{})
	fmt.Println(errors.Is(err, jsonin.ErrDuplicateKey), err)
	// Output:
	// map[n:1.50 type:[VerifiableCredential]] <nil>
	// true jsonin: duplicate object member name at offset 10 (/id)
}
