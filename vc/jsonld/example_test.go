package jsonld_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kakunin-dev/kakunin/vc/jsonld"
)

func ExampleProcessor_ToRDF() {
	p := jsonld.NewProcessor(nil, jsonld.Options{}) // embedded contexts only
	var doc map[string]any
	_ = json.Unmarshal([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "id": "urn:uuid:0c07c1ce-57cb-41af-bef2-1b932b986873",
	  "type": "VerifiableCredential",
	  "issuer": "did:web:issuer.example",
	  "credentialSubject": {"id": "did:example:agent"}
	}`), &doc)
	ds, err := p.ToRDF(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ds.GetQuads("@default")), "quads")

	doc["credentialSubject"] = map[string]any{"id": "did:example:agent", "undefinedTerm": true}
	_, err = p.ToRDF(doc)
	fmt.Println(errors.Is(err, jsonld.ErrDataLoss))
	// Output:
	// 3 quads
	// true
}

func ExampleNewLoader() {
	// The application's own context, embedded by the application.
	loader, err := jsonld.NewLoader(map[string][]byte{
		"https://example.org/agents/v1": []byte(`{"@context": {"model": "https://example.org/agents#model"}}`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := jsonld.NewProcessor(loader, jsonld.Options{})
	doc := map[string]any{
		"@context": []any{jsonld.CredentialsV2, "https://example.org/agents/v1"},
		"id":       "did:example:agent",
		"model":    "m-2026",
	}
	ds, err := p.ToRDF(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range ds.GetQuads("@default") {
		fmt.Println(q.Subject.GetValue(), q.Predicate.GetValue(), q.Object.GetValue())
	}

	doc["@context"] = []any{jsonld.CredentialsV2, "https://example.org/unknown/v1"}
	_, err = p.ToRDF(doc)
	fmt.Println(errors.Is(err, jsonld.ErrUnknownContext))
	// Output:
	// did:example:agent https://example.org/agents#model m-2026
	// true
}
