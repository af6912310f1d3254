package rdfc_test

import (
	"fmt"
	"log"

	"github.com/kakunin-dev/kakunin/vc/rdfc"
)

func ExampleCanonicalizeNQuads() {
	doc := []byte(`_:credential <https://www.w3.org/2018/credentials#credentialSubject> _:agent .
_:agent <https://schema.org/name> "Billing bot\tv2" .
_:credential <https://www.w3.org/2018/credentials#issuer> <did:example:owner> .
`)
	res, err := rdfc.CanonicalizeNQuads(doc, rdfc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(res.NQuads))
	fmt.Println("agent:", res.Issued["agent"], "credential:", res.Issued["credential"])
	// Output:
	// _:c14n0 <https://schema.org/name> "Billing bot\tv2" .
	// _:c14n1 <https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .
	// _:c14n1 <https://www.w3.org/2018/credentials#issuer> <did:example:owner> .
	// agent: c14n0 credential: c14n1
}
