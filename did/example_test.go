package did_test

import (
	"crypto/ed25519"
	"fmt"

	"github.com/kakunin-dev/kakunin/did"
)

func ExampleParse() {
	d, err := did.Parse("did:web:example.com%3A8443:agents:alice")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Method)
	fmt.Println(d.ID)
	_, err = did.Parse("did:Web:example.com")
	fmt.Println(err)
	// Output:
	// web
	// example.com%3A8443:agents:alice
	// did: invalid DID "did:Web:example.com" at byte 4: method name must be lower-case letters and digits followed by ":"
}

func ExampleParseURL() {
	u, err := did.ParseURL("did:example:123?service=files&relativeRef=%2Fresume.pdf#intro")
	if err != nil {
		panic(err)
	}
	p, _ := u.Params()
	fmt.Println(u.DID)
	fmt.Println(p.Service, p.RelativeRef)
	fmt.Println(u.Fragment)
	// Output:
	// did:example:123
	// files /resume.pdf
	// intro
}

func ExampleParseDocument() {
	doc, err := did.ParseDocument([]byte(`{
		"@context": "https://www.w3.org/ns/did/v1.1",
		"id": "did:example:123",
		"verificationMethod": [{
			"id": "#key-1",
			"type": "Multikey",
			"controller": "did:example:123",
			"publicKeyMultibase": "z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"
		}],
		"assertionMethod": ["#key-1"]
	}`))
	if err != nil {
		panic(err)
	}
	vm, err := doc.Authorized("did:example:123#key-1", did.AssertionMethod)
	if err != nil {
		panic(err)
	}
	pub, _ := vm.PublicKey()
	fmt.Printf("%T\n", pub)
	_, err = doc.Authorized("#key-1", did.Authentication)
	fmt.Println(err)
	out, _ := doc.Marshal(did.MediaTypeDIDLDJSON)
	fmt.Println(string(out))
	// Output:
	// ed25519.PublicKey
	// did: verification method not authorized for the relationship: "#key-1" is not listed under authentication
	// {"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"did:example:123","verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"did:example:123","publicKeyMultibase":"z6MkmM42vxfqZQsv4ehtTjFFxQ4sQKS2w6WR7emozFAn5cxu"}],"assertionMethod":["#key-1"]}
}

func ExampleEncodeMultikey() {
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public()
	mk, err := did.EncodeMultikey(pub)
	if err != nil {
		panic(err)
	}
	fmt.Println(mk)
	// Output:
	// z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
}

func ExampleProblemFor() {
	_, err := did.Parse("did:example:")
	p := did.ProblemFor(err)
	fmt.Println(p.Status, p.Type)
	// Output:
	// 400 https://www.w3.org/ns/did#INVALID_DID
}
