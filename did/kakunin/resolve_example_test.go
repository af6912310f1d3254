package kakunin_test

import (
	"context"
	"crypto/x509"
	"encoding/json/jsontext"
	"encoding/json/v2"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kakunin-dev/kakunin/did"
	"github.com/kakunin-dev/kakunin/did/kakunin"
	"github.com/kakunin-dev/kakunin/did/kakunin/revocation"
)

const corpusDID = "did:kakunin:c474d4c68c78b998f6d840b1d3f5b3605daab90ab9c230d859fe89fc1c4cfc38:" +
	"5a1211e7e722871862206021f10d2c1a313209a5ad927c7a30c3fb9bf3039071:z6Mkm2RmB3S2H1pN9gbndBPKu9LdBGkvRbS59KDJBBQFsdDg"

func readChain(name string) []*x509.Certificate {
	data, err := os.ReadFile(name)
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
	return chain
}

// goodOCSP stands in for a *revocation.Checker whose OCSP responder says good.
type goodOCSP struct{}

func (goodOCSP) Check(context.Context, *x509.Certificate, *x509.Certificate) (revocation.Result, error) {
	return revocation.Result{Status: revocation.Good, Source: revocation.SourceOCSP}, nil
}

func ExampleDeriveDocument() {
	id, _ := kakunin.Parse(corpusDID)
	doc, err := kakunin.DeriveDocument(id, [][]*x509.Certificate{readChain("testdata/corpus/good.pem")}, kakunin.DocumentOptions{})
	if err != nil {
		panic(err)
	}
	for _, vm := range doc.VerificationMethod {
		fmt.Println(vm.Type, vm.ID[strings.IndexByte(vm.ID, '#'):])
	}
	// Output:
	// JsonWebKey #cert-aWe0J5lq0dXpv6vGJnzRa1_6SyY1Yh-VI9QTOJoq6ac
	// Multikey #cert-aWe0J5lq0dXpv6vGJnzRa1_6SyY1Yh-VI9QTOJoq6ac-multikey
	// Multikey #owner
}

func ExampleResolver_Resolve() {
	r, err := kakunin.NewResolver(kakunin.ResolverOptions{
		Now:        func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) },
		Revocation: goodOCSP{},
	})
	if err != nil {
		panic(err)
	}
	// Registry-less resolution: the chain travels with the request.
	chain, _ := json.Marshal(kakunin.FormatChainOption(readChain("testdata/corpus/good.pem")))
	res, err := r.Resolve(context.Background(), corpusDID, did.ResolutionOptions{
		Method: map[string]jsontext.Value{kakunin.OptionX509Chain: chain},
	})
	if err != nil {
		panic(err)
	}
	var section kakunin.Metadata
	if err := json.Unmarshal(res.DIDDocumentMetadata.Method["kakunin"], &section); err != nil {
		panic(err)
	}
	fmt.Println(res.DIDResolutionMetadata.ContentType, len(res.DIDDocument.VerificationMethod))
	fmt.Println(section.ActiveCertificates, section.OwnerCA.Subject, section.Revocation[0].Source)
	fmt.Println(did.FormatTime(res.DIDDocumentMetadata.NextUpdate))
	// Output:
	// application/did 3
	// 1 CN=Example Owner CA,O=Example Owner OCSP
	// 2026-01-16T11:00:00Z
}
