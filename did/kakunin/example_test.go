package kakunin_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kakunin-dev/kakunin/did/kakunin"
)

func ExampleParse() {
	// Upper-case hex is accepted and normalised; a resolver reports the canonical
	// form as canonicalId.
	id, err := kakunin.Parse("did:kakunin:C474D4C68C78B998F6D840B1D3F5B3605DAAB90AB9C230D859FE89FC1C4CFC38:" +
		"5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg")
	if err != nil {
		panic(err)
	}
	fmt.Println(id)
	fmt.Println(id.ModelDigest())

	_, err = kakunin.Parse("did:kakunin:00:11:z6Mk")
	fmt.Println(errors.Is(err, kakunin.ErrInvalidID))
	// Output:
	// did:kakunin:c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38:5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg
	// c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38
	// true
}

func ExampleVerifyChain() {
	id, _ := kakunin.Parse("did:kakunin:c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38:" +
		"5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg")
	data, err := os.ReadFile("testdata/corpus/good.pem")
	if err != nil {
		panic(err)
	}
	var chain []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			panic(err)
		}
		chain = append(chain, c)
	}

	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	v, err := kakunin.VerifyChain(chain, id, kakunin.VerifyOptions{CurrentTime: now})
	if err != nil {
		panic(err)
	}
	fmt.Println(v.OwnerCA().Subject.CommonName, v.NotAfter.Format(time.RFC3339))

	_, err = kakunin.VerifyChain(chain, id, kakunin.VerifyOptions{CurrentTime: now.Add(48 * time.Hour)})
	fmt.Println(errors.Is(err, kakunin.ErrExpired))
	// Output:
	// Example Owner CA 2026-01-16T11:00:00Z
	// true
}

func ExamplePromptManifest_Digest() {
	m, err := kakunin.ParsePromptManifest([]byte(`{
		"salt": "OuJkxkdBwLJj0mQug1BUSH6i9-nUhrJGZSraM6D4sXQ",
		"systemPrompt": "You are the invoice-checking agent of Example Corp. Never approve a payment.",
		"tools": [{"name": "lookup_invoice", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}],
		"config": {"temperature": 0, "maxOutputTokens": 1024}
	}`))
	if err != nil {
		panic(err)
	}
	d, err := m.Digest()
	if err != nil {
		panic(err)
	}
	fmt.Println(d)
	// Output: 5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071
}
