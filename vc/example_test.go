package vc_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/kakunin-dev/kakunin/vc"
)

func ExampleParseCredential() {
	data := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential", "ExampleScopeCredential"],
	  "issuer": "did:web:issuer.example",
	  "validFrom": "2026-01-01T00:00:00Z",
	  "validUntil": "2026-12-31T23:59:59Z",
	  "credentialSubject": {"id": "did:example:agent", "actions": ["payments:create"]}
	}`)
	c, err := vc.ParseCredential(data, vc.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Version(), c.Issuer().ID, c.Subjects()[0]["id"])

	err = c.CheckValidity(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, vc.ErrExpired))

	_, err = vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:web:issuer.example","credentialSubject":{}}`), vc.ParseOptions{})
	var e *vc.Error
	if errors.As(err, &e) {
		fmt.Println(e.Problem().Type, e.Path)
	}
	// Output:
	// 2.0 did:web:issuer.example did:example:agent
	// true
	// https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR /credentialSubject
}
